package layerfd.server.hostile;

import static layerfd.server.testing.JavaClient.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import layerfd.linux.MemFd;
import layerfd.linux.Open;
import layerfd.linux.OwnedFd;
import layerfd.linux.Pipe;
import layerfd.linux.SocketPair;
import layerfd.protocol.Methods;
import layerfd.protocol.jsonrpc.ErrorCodes;
import layerfd.protocol.jsonrpc.Response;
import layerfd.protocol.jsonrpc.RpcError;
import layerfd.server.store.Fixtures;
import layerfd.server.testing.JavaClient;
import layerfd.server.testing.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wire-level part of the hostile-input catalogue (docs/hostile-inputs.md), each against one real server process:
 * after every case the server still serves a new client and its descriptor count is back at its baseline.
 */
class HostileRequestsTest {
    /** How long a reply may take before the server counts as having gone quiet (kept the connection, said nothing). */
    private static final long QUIET_MILLIS = 2000;
    /** api-contract §6 default message limit is 16 MiB; this is past it. */
    private static final int OVERSIZED_BYTES = 17 << 20;
    private static final int DEEP_NESTING = 100_000;

    @TempDir
    static Path dir;
    private static ServerProcess server;
    private static int baseline;

    @BeforeAll
    static void startServer() throws Exception {
        server = ServerProcess.start(dir.resolve("layerfd.sock"), Fixtures.location(Fixtures.ROOT_OVERLAY));
        try (JavaClient warm = JavaClient.connect(server.socket())) {
            // The first store request opens the lock files the server keeps for good (docs/storage.md).
            warm.result(Methods.GET_IMAGE, params(Methods.Params.IMAGE_ID, Fixtures.BASE));
        }
        baseline = server.settleFds(0);
    }

    @AfterAll
    static void stopServer() throws Exception {
        assertEquals(0, server.stop(), server.log());
    }

    /** Every case ends here: the server is alive, serves a new client, and holds no descriptor the case gave it. */
    @AfterEach
    void serverStillServesAndKeepsNothing() throws Exception {
        assertTrue(server.isAlive(), server.log());
        try (JavaClient client = JavaClient.connect(server.socket())) {
            client.result(Methods.INITIALIZE, params());
        }
        assertEquals(baseline, server.settleFds(baseline), "server fds back at the baseline");
    }

    @Test
    void fdsOfEveryKindSentWithRequestsAreClosedAndTheRequestsAnswered() throws Exception {
        List<OwnedFd> sent = new ArrayList<>();
        sent.addAll(SocketPair.openStream());
        Pipe.Ends pipe = Pipe.open();
        sent.add(pipe.readEnd());
        sent.add(pipe.writeEnd());
        sent.add(Open.open("/", Open.O_RDONLY | Open.O_DIRECTORY | Open.O_CLOEXEC, 0));
        sent.add(MemFd.create("hostile"));
        sent.add(Open.open("/dev/null", Open.O_RDWR | Open.O_CLOEXEC, 0));
        try (JavaClient client = JavaClient.connect(server.socket())) {
            try (Response initialize = JavaClient.await(client.callAsync(Methods.INITIALIZE, params(),
                    List.copyOf(sent)))) {
                assertFalse(initialize.isError(), () -> String.valueOf(initialize.error()));
            }
            List<OwnedFd> again = List.of(MemFd.create("a"), SocketPair.openStream().getFirst());
            try (Response image = JavaClient.await(client.callAsync(Methods.GET_IMAGE,
                    params(Methods.Params.IMAGE_ID, Fixtures.BASE), again))) {
                assertFalse(image.isError(), () -> String.valueOf(image.error()));
            }
        }
    }

    /**
     * O_PATH descriptors, from an independent sender (layerfd's own Java sender cannot pass them). junixsocket cannot
     * take an O_PATH descriptor out of a message (EBADF), so the defined reaction is: the connection is closed without
     * an answer, the reason is logged, the descriptors are closed and the server serves on (docs/hostile-inputs.md).
     */
    @Test
    void oPathDescriptorsSentByAnotherPeerCloseThatConnectionAndLeakNothing() throws Exception {
        String script = String.join("\n",
                "import os, socket, sys",
                "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
                "s.connect(sys.argv[1])",
                "fds = [os.open('/', os.O_PATH), os.open('/etc/hostname', os.O_PATH)]",
                "socket.send_fds(s, [b'{\"jsonrpc\":\"2.0\",\"method\":\"Initialize\",\"id\":7,\"fds\":2}'], fds)",
                "for fd in fds: os.close(fd)",
                "print(repr(s.recv(65536)))");
        Process python = new ProcessBuilder("python3", "-c", script, server.socket().toString())
                .redirectErrorStream(true).start();
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, python.waitFor(), out);
        assertEquals("b''", out.strip(), "closed without an answer");
        assertTrue(server.events("disconnect").stream().anyMatch(l -> l.contains("Bad file descriptor")),
                server.log());
    }

    @Test
    void idsWithPathCharactersAreNotFoundNamingTheIdAndTheConnectionStays() throws Exception {
        List<String> hostile = List.of("../../../../etc", "/etc/passwd", "a/b", "..", ".", "abc\u0000def",
                "f".repeat(64) + "/../" + "e".repeat(64), "x".repeat(1 << 20), "%2e%2e%2f");
        try (JavaClient client = JavaClient.connect(server.socket())) {
            for (String id : hostile) {
                RpcError layer = client.error(Methods.GET_SPLIT_FD_STREAM, params(Methods.Params.LAYER_ID, id));
                assertEquals(ErrorCodes.LAYER_NOT_FOUND, layer.code(), layer.message());
                assertTrue(layer.message().contains("is not a layer id"), layer.message());
                RpcError image = client.error(Methods.GET_IMAGE, params(Methods.Params.IMAGE_ID, id));
                assertEquals(ErrorCodes.IMAGE_NOT_FOUND, image.code(), image.message());
                assertTrue(image.message().contains("'" + id.substring(0, Math.min(id.length(), 64))),
                        image.message());
            }
            RpcError empty = client.error(Methods.GET_SPLIT_FD_STREAM, params(Methods.Params.LAYER_ID, ""));
            assertEquals(ErrorCodes.INVALID_PARAMS, empty.code(), empty.message());
        }
    }

    @Test
    void idsOfAnySizeAndTypeAreAnsweredWithTheSameId() throws Exception {
        String initialize = "{\"jsonrpc\":\"2.0\",\"method\":\"Initialize\",\"id\":";
        for (String id : List.of("123456789012345678901234567890", "\"" + "i".repeat(1 << 20) + "\"", "-17",
                "\"../../etc\"")) {
            RawClient.Reply reply = exchange(initialize + id + "}");
            assertFalse(reply.closed(), "the connection stays open");
            assertTrue(reply.text().contains("\"result\":") && reply.text().endsWith("\"id\":" + id + "}"),
                    abbreviate(reply.text()));
        }
    }

    @Test
    void framingViolationsGetMinus32050NamingTheFaultThenTheConnectionIsClosed() throws Exception {
        String request = "{\"jsonrpc\":\"2.0\",\"method\":\"Initialize\",\"id\":1";
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put(request + ",\"fds\":-1}", "\"fds\" must not be negative");
        cases.put(request + ",\"fds\":\"2\"}", "\"fds\" must be a non-negative integer");
        cases.put(request + ",\"fds\":1.5}", "\"fds\" must be a non-negative integer");
        cases.put(request + ",\"params\":" + "[".repeat(DEEP_NESTING) + "]".repeat(DEEP_NESTING) + "}",
                "nesting depth");
        cases.put(request + ",\"params\":\"" + "p".repeat(OVERSIZED_BYTES) + "\"}", "incoming message of more than");
        cases.put("[1,2,3]", "batch arrays are not supported");
        cases.put("\u00ff\u00fe garbage", "top-level value must be an object");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            RawClient.Reply reply = exchange(c.getKey());
            assertTrue(reply.closed(), "closed after " + abbreviate(c.getKey()));
            assertFatal(reply, c.getValue(), c.getKey());
        }
    }

    @Test
    void aMessageCutShortOrMissingItsFdsIsFatalAtEndOfStream() throws Exception {
        String request = "{\"jsonrpc\":\"2.0\",\"method\":\"Initialize\",\"id\":1";
        Map<String, String> cases = Map.of(
                request, "peer closed the connection in",
                request + ",\"fds\":2}", "announced \"fds\":2 but only 0 fd(s) arrived");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            try (RawClient raw = RawClient.connect(server.socket())) {
                raw.send(c.getKey());
                RawClient.Reply waiting = raw.read(QUIET_MILLIS);
                assertFalse(waiting.closed(), "the server waits for the rest of " + c.getKey());
                assertEquals("", waiting.text());
                raw.shutdownOutput();
                RawClient.Reply reply = raw.read(QUIET_MILLIS);
                assertTrue(reply.closed(), "closed at end of stream after " + c.getKey());
                assertFatal(reply, c.getValue(), c.getKey());
            }
        }
    }

    /** One connection: sends {@code text} (a send the server cuts short is fine) and reads the reaction. */
    private static RawClient.Reply exchange(String text) throws IOException {
        try (RawClient raw = RawClient.connect(server.socket())) {
            try {
                raw.send(text);
            } catch (IOException brokenPipe) {
                // The server closed first (the oversized message): what it said before is read below.
            }
            return raw.read(QUIET_MILLIS);
        }
    }

    /** jsonrpc-fdpass: a fatal framing error is a -32050 notice with a null id, then the close. */
    private static void assertFatal(RawClient.Reply reply, String says, String input) throws IOException {
        JsonNode notice = JavaClient.JSON.readTree(reply.text());
        assertEquals(ErrorCodes.FILE_DESCRIPTOR_ERROR, notice.path("error").path("code").intValue(),
                abbreviate(input) + " -> " + abbreviate(reply.text()));
        assertTrue(notice.path("error").path("message").textValue().contains(says), reply.text());
        assertTrue(notice.get("id").isNull(), reply.text());
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 120) + "…(" + s.length() + " chars)…" + s.substring(s.length() - 40);
    }
}
