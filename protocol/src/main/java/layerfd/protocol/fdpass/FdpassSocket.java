package layerfd.protocol.fdpass;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import layerfd.linux.OwnedFd;
import layerfd.protocol.fdpass.internal.UnixConnection;

/**
 * One jsonrpc-fdpass connection: an AF_UNIX SOCK_STREAM socket (README §2.1) with a thread-safe {@link #sender()}
 * and a single-threaded {@link #receiver()}. {@link #close()} closes the socket and every fd received but not yet
 * handed out with a message.
 */
public final class FdpassSocket implements AutoCloseable {
    private final UnixConnection connection;
    private final FdpassOptions options;
    private final FdpassSender sender;
    private final FdpassReceiver receiver;

    FdpassSocket(UnixConnection connection, FdpassOptions options) {
        this.connection = connection;
        this.options = options;
        this.sender = new FdpassSender(connection, options);
        this.receiver = new FdpassReceiver(connection, options);
    }

    /** Connects to the socket file at {@code path}. */
    public static FdpassSocket connect(Path path, FdpassOptions options) throws IOException {
        return new FdpassSocket(UnixConnection.connect(path, options.ancillaryReceiveBytes()), options);
    }

    public static FdpassSocket connect(Path path) throws IOException {
        return connect(path, FdpassOptions.defaults());
    }

    /**
     * Takes over a connected AF_UNIX stream socket this process already has, e.g. one end of a socketpair
     * inherited by a helper process. The fd belongs to the returned socket from now on, also if this fails.
     */
    public static FdpassSocket adopt(OwnedFd connected, FdpassOptions options) throws IOException {
        return new FdpassSocket(UnixConnection.adopt(connected, options.ancillaryReceiveBytes()), options);
    }

    /** Two connected sockets (socketpair(2)), both with {@code options}. */
    public static Pair pair(FdpassOptions options) throws IOException {
        List<UnixConnection> ends = UnixConnection.pair(options.ancillaryReceiveBytes());
        return new Pair(new FdpassSocket(ends.get(0), options), new FdpassSocket(ends.get(1), options));
    }

    public static Pair pair() throws IOException {
        return pair(FdpassOptions.defaults());
    }

    /** The two ends of a socketpair; closing the pair closes both. */
    public record Pair(FdpassSocket first, FdpassSocket second) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try {
                first.close();
            } finally {
                second.close();
            }
        }
    }

    public FdpassSender sender() {
        return sender;
    }

    public FdpassReceiver receiver() {
        return receiver;
    }

    public FdpassOptions options() {
        return options;
    }

    /** SO_PEERCRED: uid, gid and pid of the peer process at connect time. */
    public PeerCredentials peerCredentials() throws IOException {
        return connection.peerCredentials();
    }

    /** Half-closes: the peer reads end of stream, this side can still receive. */
    public void shutdownOutput() throws IOException {
        connection.shutdownOutput();
    }

    public boolean isClosed() {
        return connection.isClosed();
    }

    /** Closes the socket (a blocked receive then fails) and then every queued fd. Idempotent. */
    @Override
    public void close() throws IOException {
        try {
            connection.close();
        } finally {
            receiver.close();
        }
    }
}
