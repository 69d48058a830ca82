package layerfd.protocol.jsonrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import layerfd.linux.OwnedFd;
import layerfd.protocol.fdpass.FdpassOptions;
import layerfd.protocol.fdpass.FdpassServerSocket;
import layerfd.protocol.fdpass.FdpassSocket;
import layerfd.protocol.fdpass.Json;
import layerfd.protocol.fdpass.NoFdLeaks;
import layerfd.protocol.fdpass.TestFds;
import layerfd.protocol.fdpass.TestSockets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with an independent peer: conformance-tests/peers/python/fdpass_peer.py (stdlib socket.send_fds/recv_fds,
 * its own framing and fd FIFO) as a separate process, in both directions, with batched fds and pipelining.
 */
@ExtendWith(NoFdLeaks.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PythonPeerTest {
    /** Surefire runs in the module directory; the peer lives with the other conformance peers. */
    private static final Path PEER = Path.of("..", "conformance-tests", "peers", "python", "fdpass_peer.py");
    private static final long WAIT_SECONDS = 60;

    private static Process startPeer(String mode, Path socket) throws IOException {
        assertTrue(Files.isRegularFile(PEER), "python peer at " + PEER.toAbsolutePath());
        return new ProcessBuilder("python3", PEER.toString(), mode, "--socket", socket.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static JsonNode params(String json) {
        return Json.object("{\"p\":" + json + "}").get("p");
    }

    private static Response call(JsonRpcConnection c, String method, String params, List<OwnedFd> fds)
            throws Exception {
        return c.call(method, params == null ? null : params(params), fds).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void javaClientAgainstPythonServerWithBatchedFdsAndPipelining(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("python.sock");
        Process python = startPeer("server", socket);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(python.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertEquals("ready", out.readLine());
            JsonRpcConnection client = JsonRpcConnection.start(FdpassSocket.connect(socket), MethodTable.empty());
            try {
                String nested = "{\"list\":[1,\"two\",null,true,{\"x\":1.5}],\"s\":\"<&>\"}";
                try (Response r = call(client, "echo", nested, List.of())) {
                    assertEquals(params(nested), r.result());
                }
                try (Response r = call(client, "null", null, List.of())) {
                    assertTrue(r.result().isNull() && !r.isError());
                }
                try (Response r = call(client, "nope", null, List.of())) {
                    assertEquals(ErrorCodes.METHOD_NOT_FOUND, r.error().code());
                }
                try (Response r = call(client, "read_fds", null, TestFds.numbered("java", 600))) {
                    assertEquals(TestFds.expectedNumbered("java", 600), texts(r.result()));
                }
                try (Response r = call(client, "create_fds", "{\"count\":300,\"prefix\":\"python\"}", List.of())) {
                    assertEquals(TestFds.expectedNumbered("python", 300), TestFds.contents(r.fds()));
                }
                client.notify("echo", params("[\"no answer\"]"), List.of(TestFds.memfd("notified")));
                pipelineAgainst(client);
            } finally {
                client.close();
                client.closed().handle((v, e) -> null).get(WAIT_SECONDS, TimeUnit.SECONDS);
            }
            assertTrue(python.waitFor(WAIT_SECONDS, TimeUnit.SECONDS));
            assertEquals(0, python.exitValue());
            assertNull(out.readLine(), "the python server printed nothing but ready");
        } finally {
            python.destroyForcibly();
        }
    }

    private static void pipelineAgainst(JsonRpcConnection client) throws Exception {
        ConcurrentLinkedQueue<Integer> order = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int tag = i;
            CompletableFuture<Response> f = i % 10 == 0
                    ? client.call("read_fds", null, List.of(TestFds.memfd("pipelined-" + i)))
                    : client.call("sleep", params("{\"ms\":" + (i == 5 ? 300 : 0) + ",\"tag\":" + i + "}"),
                            List.of());
            f.thenRun(() -> order.add(tag));
            calls.add(f);
        }
        for (int i = 0; i < calls.size(); i++) {
            try (Response r = calls.get(i).get(WAIT_SECONDS, TimeUnit.SECONDS)) {
                if (i % 10 == 0) {
                    assertEquals(List.of("pipelined-" + i), texts(r.result()));
                } else {
                    assertEquals(i, r.result().intValue());
                }
            }
        }
        List<Integer> arrived = List.copyOf(order);
        assertTrue(arrived.indexOf(5) > arrived.indexOf(6), "call 5 sleeps, call 6 overtakes it");
    }

    private static List<String> texts(JsonNode array) {
        List<String> result = new ArrayList<>();
        array.forEach(n -> result.add(n.textValue()));
        return result;
    }

    @Test
    void pythonClientAgainstJavaServerWithBatchedFdsAndPipelining(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("java.sock");
        try (FdpassServerSocket server = FdpassServerSocket.bind(socket, FdpassOptions.defaults())) {
            CompletableFuture<JsonRpcConnection> serving = TestSockets.acceptAsync(server)
                    .thenApply(accepted -> JsonRpcConnection.start(accepted, TestMethods.table()));
            Process python = startPeer("client", socket);
            try {
                List<String> lines;
                try (BufferedReader out = new BufferedReader(new InputStreamReader(python.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    lines = out.lines().toList();
                }
                assertTrue(python.waitFor(WAIT_SECONDS, TimeUnit.SECONDS));
                assertEquals(List.of("ok echo", "ok add", "ok null-result", "ok exact-id", "ok string-id",
                        "ok unknown-method", "ok send-300-fds", "ok einval-halved", "ok receive-300-fds",
                        "ok pipeline-200", "ok pipeline-out-of-order", "ok clean-end"), lines);
                assertEquals(0, python.exitValue());
                JsonRpcConnection connection = serving.get(WAIT_SECONDS, TimeUnit.SECONDS);
                assertNull(connection.closed().get(WAIT_SECONDS, TimeUnit.SECONDS), "clean end of stream");
                assertFalse(connection.closed().isCompletedExceptionally());
            } finally {
                python.destroyForcibly();
            }
        }
    }
}
