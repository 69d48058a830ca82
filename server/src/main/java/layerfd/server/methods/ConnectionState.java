package layerfd.server.methods;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import layerfd.protocol.jsonrpc.ErrorCodes;
import layerfd.protocol.jsonrpc.RpcException;
import layerfd.server.ServerLimits;
import layerfd.server.stream.FdReservation;

/**
 * Per-connection state: the fds in flight, the layer streams running, and the windowed streams open. Windowed
 * streams belong to the connection and are closed with it. Thread-safe (a connection's requests run concurrently).
 */
public final class ConnectionState implements AutoCloseable {
    /** Windowed stream tokens are "s" plus a counter, unique within the connection. */
    private static final String TOKEN_PREFIX = "s";
    /**
     * How long a request waits at a limit before -32006: long enough for the response the client just received to
     * finish its bookkeeping, far too short to hide a client that really holds too much.
     */
    static final Duration LIMIT_PATIENCE = Duration.ofMillis(200);

    private final ServerLimits limits;
    private final FdBudget fds;
    private final Allowance streams;
    private final AtomicLong nextToken = new AtomicLong(1);
    private final Map<String, WindowedStream> windowed = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public ConnectionState(ServerLimits limits) {
        this.limits = limits;
        this.fds = new FdBudget(limits.maxFdsInFlightPerConnection());
        this.streams = new Allowance(limits.maxStreamsPerConnection());
    }

    FdReservation fds() {
        return fds;
    }

    /** Takes one of the connection's stream slots, or fails with -32006 naming the limit. */
    void acquireStreamSlot(String what) throws RpcException {
        if (!take(streams, 1, what)) {
            throw new RpcException(ErrorCodes.RESOURCE_LIMIT_REACHED, what + ": this connection already has "
                    + streams.inUse() + " layer streams running or open (limit " + limits.maxStreamsPerConnection()
                    + "); close a windowed stream or wait for a response");
        }
    }

    void releaseStreamSlot() {
        streams.give(1);
    }

    /** Reserves {@code count} fds for a response, or fails with -32006 naming the limit. */
    void reserveFds(int count, String what) throws RpcException {
        if (!take(fds.allowance(), count, what)) {
            throw new RpcException(ErrorCodes.RESOURCE_LIMIT_REACHED, what + ": " + count + " more fds would pass "
                    + "the limit of " + fds.describe() + " (" + fds.inUse() + " in flight)");
        }
    }

    private static boolean take(Allowance allowance, int count, String what) throws RpcException {
        try {
            return allowance.take(count, LIMIT_PATIENCE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcException(ErrorCodes.INTERNAL_ERROR, what + ": interrupted");
        }
    }

    /** A token for a new windowed stream, unique within the connection. */
    String newToken() {
        return TOKEN_PREFIX + nextToken.getAndIncrement();
    }

    /** Registers a windowed stream, which keeps its stream slot until closed. */
    void register(WindowedStream stream) throws RpcException {
        windowed.put(stream.token(), stream);
        if (closed) {
            // The connection ended while the stream was being built: nobody could close it later.
            close(stream.token());
            throw new RpcException(ErrorCodes.INTERNAL_ERROR, "connection closed while opening stream "
                    + stream.token());
        }
    }

    WindowedStream stream(String token, String method) throws RpcException {
        WindowedStream stream = windowed.get(token);
        if (stream == null) {
            throw new RpcException(ErrorCodes.INVALID_PARAMS, method + ": no open stream '" + token
                    + "' on this connection (streams belong to the connection that opened them)");
        }
        return stream;
    }

    /** Closes and forgets a windowed stream; false when there is none by that token. */
    boolean close(String token) {
        WindowedStream stream = windowed.remove(token);
        if (stream != null && stream.closeOnce()) {
            releaseStreamSlot();
            return true;
        }
        return false;
    }

    /** The connection ended: closes every windowed stream. */
    @Override
    public void close() {
        closed = true;
        for (String token : windowed.keySet()) {
            close(token);
        }
    }
}
