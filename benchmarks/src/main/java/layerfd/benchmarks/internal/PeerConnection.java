package layerfd.benchmarks.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import layerfd.linux.OwnedFd;
import layerfd.protocol.jsonrpc.JsonRpcConnection;
import layerfd.protocol.jsonrpc.Response;

/** One client connection to a {@link Peer}; thread-safe (calls are pipelined), as {@link JsonRpcConnection} is. */
public final class PeerConnection implements AutoCloseable {
    /** A call not answered by then means the peer is stuck: fail the benchmark rather than hang it. */
    private static final long CALL_TIMEOUT_SECONDS = 30;

    private final JsonRpcConnection rpc;
    private final AutoCloseable onClose;

    PeerConnection(JsonRpcConnection rpc, AutoCloseable onClose) {
        this.rpc = rpc;
        this.onClose = onClose;
    }

    /** Calls {@code method} with {@code fds} (taken, closed once sent) and returns the result; errors throw. */
    public JsonNode call(String method, List<OwnedFd> fds) throws IOException {
        try (Response response = rpc.call(method, null, fds).get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            if (response.isError()) {
                throw new IOException(method + " failed: " + response.error().message());
            }
            return response.result();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(method + " interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException(method + " failed: " + e, e);
        }
    }

    @Override
    public void close() throws IOException {
        rpc.close();
        try {
            onClose.close();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
