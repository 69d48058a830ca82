package layerfd.server.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import layerfd.linux.FdInputStream;
import layerfd.linux.OwnedFd;
import layerfd.protocol.fdpass.FdpassOptions;
import layerfd.protocol.fdpass.FdpassSocket;
import layerfd.protocol.jsonrpc.JsonRpcConnection;
import layerfd.protocol.jsonrpc.MethodTable;
import layerfd.protocol.jsonrpc.Response;
import layerfd.protocol.jsonrpc.RpcError;
import layerfd.protocol.splitfdstream.ReassemblyStats;
import layerfd.protocol.splitfdstream.SplitFdStreams;

/** A Java client of the server over the protocol module's own JsonRpcConnection. */
public final class JavaClient implements AutoCloseable {
    private static final long CALL_TIMEOUT_SECONDS = 120;
    public static final ObjectMapper JSON = new ObjectMapper();

    private final JsonRpcConnection connection;

    private JavaClient(JsonRpcConnection connection) {
        this.connection = connection;
    }

    public static JavaClient connect(Path socket) throws IOException {
        return new JavaClient(JsonRpcConnection.start(FdpassSocket.connect(socket, FdpassOptions.defaults()),
                MethodTable.empty()));
    }

    /** Params from alternating keys and values. */
    public static ObjectNode params(Object... keysAndValues) {
        ObjectNode params = JSON.createObjectNode();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            params.set((String) keysAndValues[i], JSON.valueToTree(keysAndValues[i + 1]));
        }
        return params;
    }

    /** One call; the caller owns the response and its fds. */
    public Response call(String method, JsonNode params) throws IOException, InterruptedException {
        return await(callAsync(method, params));
    }

    /** A call sent now whose response comes later (pipelining). */
    public CompletableFuture<Response> callAsync(String method, JsonNode params) {
        return callAsync(method, params, List.of());
    }

    /** A call that carries {@code fds} (handed over) to the server. */
    public CompletableFuture<Response> callAsync(String method, JsonNode params, List<OwnedFd> fds) {
        return connection.call(method, params, fds);
    }

    /** The response of {@link #callAsync}. */
    public static Response await(CompletableFuture<Response> call)
            throws IOException, InterruptedException {
        try {
            return call.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException("call failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("call timed out");
        }
    }

    /** A call that must succeed without fds; returns its result. */
    public JsonNode result(String method, JsonNode params) throws IOException, InterruptedException {
        try (Response response = call(method, params)) {
            assertFalse(response.isError(), () -> method + " failed: " + response.error());
            assertTrue(response.fds().isEmpty(), method + " sent fds");
            return response.result();
        }
    }

    /** A call that must fail; returns its error. */
    public RpcError error(String method, JsonNode params) throws IOException, InterruptedException {
        try (Response response = call(method, params)) {
            assertTrue(response.isError(), () -> method + " succeeded: " + response.result());
            assertTrue(response.fds().isEmpty(), method + " error came with fds");
            return response.error();
        }
    }

    public boolean isOpen() {
        return !connection.closed().isDone();
    }

    /** The sha256 ("sha256:hex") and length of the tar a splitfdstream response rebuilds. */
    public record Reassembled(String sha256, long length, ReassemblyStats stats) {}

    /** Rebuilds the layer tar from a response's fds (fds[0] the stream, the rest content), reading with pread. */
    public static Reassembled reassemble(List<OwnedFd> fds) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        CountingSink sink = new CountingSink();
        ReassemblyStats stats;
        try (FdInputStream stream = new FdInputStream(fds.getFirst());
             DigestOutputStream out = new DigestOutputStream(sink, sha)) {
            stats = SplitFdStreams.reassemble(stream, fds.subList(1, fds.size()), out);
        }
        return new Reassembled("sha256:" + HexFormat.of().formatHex(sha.digest()), sink.count, stats);
    }

    private static final class CountingSink extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}
