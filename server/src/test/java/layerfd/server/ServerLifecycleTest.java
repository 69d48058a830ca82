package layerfd.server;

import static layerfd.server.testing.JavaClient.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import layerfd.protocol.Methods;
import layerfd.protocol.jsonrpc.ErrorCodes;
import layerfd.protocol.jsonrpc.Response;
import layerfd.server.store.Fixtures;
import layerfd.server.store.LayerRecord;
import layerfd.server.store.Store;
import layerfd.server.store.StoreLocation;
import layerfd.server.store.StoreSnapshot;
import layerfd.server.testing.JavaClient;
import layerfd.server.testing.ManyFilesFixture;
import layerfd.server.testing.PythonClient;
import layerfd.server.testing.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service around the methods, each with a real server process: access control from SO_PEERCRED, the socket
 * file, fd counts over hundreds of requests and abandoned clients, SIGTERM with clients connected, systemd socket
 * activation.
 */
class ServerLifecycleTest {
    private static final String TEST_USER = System.getenv().getOrDefault("LAYERFD_TEST_USER", "layerfd-test");
    private static final int ROUNDS = 100;
    /** Fewer bytes than any stream response, so the client hangs up in the middle of it. */
    private static final int PARTIAL_READ_BYTES = 10;

    @TempDir
    Path dir;

    /** A socket directory others may traverse (the refused user must reach the socket to be refused). */
    private Path socketDir() throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    private static long testUserId(String flag) throws Exception {
        Process id = new ProcessBuilder("id", flag, TEST_USER).start();
        String out = new String(id.getInputStream().readAllBytes()).trim();
        assumeTrue(id.waitFor() == 0, "no user " + TEST_USER + " (scripts/test-prereqs creates it)");
        return Long.parseLong(out);
    }

    /** Lets the test user's group connect (file permissions), so that only SO_PEERCRED decides. */
    private static void shareSocketWithGroup(Path socket, long gid) throws Exception {
        Fixtures.run(socket.getParent(), "chgrp", String.valueOf(gid), socket.toString());
    }

    @Test
    void socketFileIs0660AndADisallowedUidGetsMinus32005AndIsClosed() throws Exception {
        long gid = testUserId("-g");
        try (ServerProcess server = ServerProcess.start(socketDir().resolve("layerfd.sock"),
                Fixtures.location(Fixtures.ROOT_OVERLAY))) {
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(server.socket())));
            shareSocketWithGroup(server.socket(), gid);
            JsonNode out = PythonClient.runWith(List.of("runuser", "-u", TEST_USER, "--"), server.socket(),
                    "first-message");
            JsonNode response = out.get("response");
            assertEquals(ErrorCodes.PEER_NOT_ALLOWED, response.get("error").get("code").intValue());
            assertTrue(response.get("id").isNull());
            assertTrue(response.get("error").get("message").textValue().contains("uid " + testUserId("-u")));
            assertTrue(out.get("closed_after").booleanValue(), "the refused peer is closed after one error");
            assertEquals(1, server.events("refused").size(), server.log());
            assertEquals(0, server.stop(), server.log());
        }
    }

    @Test
    void allowUidAndAllowGidLetThatPeerIn() throws Exception {
        long uid = testUserId("-u");
        long gid = testUserId("-g");
        for (List<String> allow : List.of(List.of("--allow-uid", String.valueOf(uid)),
                List.of("--allow-gid", String.valueOf(gid)))) {
            Path socket = socketDir().resolve("allow" + allow.getFirst().length() + ".sock");
            try (ServerProcess server = ServerProcess.start(socket, Fixtures.location(Fixtures.ROOT_OVERLAY),
                    allow.toArray(String[]::new))) {
                shareSocketWithGroup(server.socket(), gid);
                JsonNode out = PythonClient.runWith(List.of("runuser", "-u", TEST_USER, "--"), server.socket(),
                        "call", Methods.INITIALIZE);
                assertEquals(Methods.PROTOCOL_VERSION,
                        out.get("response").get("result").get("protocolVersion").intValue(), allow + ": " + out);
                assertEquals(0, server.stop(), server.log());
            }
        }
    }

    @Test
    void aClientPastTheConnectionLimitGetsMinus32006AndIsClosed() throws Exception {
        try (ServerProcess server = ServerProcess.start(dir.resolve("layerfd.sock"),
                Fixtures.location(Fixtures.ROOT_OVERLAY), "--max-connections", "1");
             JavaClient first = JavaClient.connect(server.socket())) {
            assertEquals(Methods.PROTOCOL_VERSION, first.result(Methods.INITIALIZE, params()).get("protocolVersion")
                    .intValue());
            JsonNode second = PythonClient.run(server.socket(), "first-message");
            assertEquals(ErrorCodes.RESOURCE_LIMIT_REACHED, second.get("response").get("error").get("code").intValue());
            assertTrue(second.get("closed_after").booleanValue());
            assertTrue(first.isOpen(), "the connection within the limit is served on");
            assertEquals(Methods.PROTOCOL_VERSION, first.result(Methods.INITIALIZE, params()).get("protocolVersion")
                    .intValue());
            assertEquals(0, server.stop(), server.log());
        }
    }

    @Test
    void serverFdCountIsStableAfterHundredsOfRequestsAndAbandonedClients() throws Exception {
        StoreLocation location = ManyFilesFixture.location();
        LayerRecord layer;
        try (StoreSnapshot s = Store.open(location).readLocked()) {
            layer = s.imageLayers(s.resolveImage(ManyFilesFixture.FILES_700)).getLast();
        }
        try (ServerProcess server = ServerProcess.start(dir.resolve("layerfd.sock"), location)) {
            exercise(server, layer, 2);
            int baseline = server.settleFds(0);
            exercise(server, layer, ROUNDS);
            int after = server.settleFds(baseline);
            assertEquals(baseline, after, "server fds after " + ROUNDS + " rounds of requests");
            assertEquals(0, server.stop(), server.log());
        }
    }

    /** Per round: a 701-fd stream, an error, a windowed stream left open, and two clients that hang up early. */
    private static void exercise(ServerProcess server, LayerRecord layer, int rounds) throws Exception {
        for (int i = 0; i < rounds; i++) {
            try (JavaClient client = JavaClient.connect(server.socket())) {
                try (Response response = client.call(Methods.GET_SPLIT_FD_STREAM, params("layerId", layer.id()))) {
                    assertEquals(701, response.fds().size(), () -> String.valueOf(response.error()));
                }
                assertEquals(ErrorCodes.LAYER_NOT_FOUND, client.error(Methods.GET_SPLIT_FD_STREAM,
                        params("layerId", "f".repeat(64))).code());
                try (Response open = client.call(Methods.OPEN_LAYER_STREAM, params("layer", layer.id(),
                        "maxFds", 10));
                     Response window = client.call(Methods.READ_LAYER_FILES,
                             params("stream", open.result().get("stream").textValue(), "start", 0, "count", 10))) {
                    assertEquals(10, window.fds().size());
                }
                // The windowed stream is never closed by the client: the end of the connection closes it.
            }
            ManyFilesTest.abandon(server.socket(), layer.id(), 0);
            ManyFilesTest.abandon(server.socket(), layer.id(), PARTIAL_READ_BYTES);
        }
    }

    @Test
    void sigtermWithClientsConnectedExitsZeroAndRemovesTheSocketFile() throws Exception {
        StoreLocation location = ManyFilesFixture.location();
        LayerRecord layer;
        try (StoreSnapshot s = Store.open(location).readLocked()) {
            layer = s.imageLayers(s.resolveImage(ManyFilesFixture.FILES_5000)).getLast();
        }
        try (ServerProcess server = ServerProcess.start(dir.resolve("layerfd.sock"), location);
             JavaClient idle = JavaClient.connect(server.socket());
             JavaClient streaming = JavaClient.connect(server.socket())) {
            assertEquals(Methods.PROTOCOL_VERSION, idle.result(Methods.INITIALIZE, params()).get("protocolVersion")
                    .intValue());
            try (Response open = streaming.call(Methods.OPEN_LAYER_STREAM, params("layer", layer.id(),
                    "maxFds", 100))) {
                assertFalse(open.isError());
            }
            assertEquals(0, server.stop(), server.log());
            assertFalse(Files.exists(server.socket()), "socket file removed");
            assertTrue(server.log().contains("event=stopped drained=true"), server.log());
            for (JavaClient client : List.of(idle, streaming)) {
                for (int i = 0; i < 100 && client.isOpen(); i++) {
                    Thread.sleep(20);
                }
                assertFalse(client.isOpen(), "connected clients see the connection end");
            }
        }
    }

    @Test
    void aStaleSocketFileIsReplacedButALiveServerIsNot() throws Exception {
        Path socket = dir.resolve("layerfd.sock");
        // A socket file left by a crash: bound, never listening, never unlinked.
        Fixtures.run(dir, "python3", "-c", "import socket; s = socket.socket(socket.AF_UNIX); s.bind('"
                + socket + "')");
        assertTrue(Files.exists(socket));
        StoreLocation location = Fixtures.location(Fixtures.ROOT_OVERLAY);
        try (ServerProcess server = ServerProcess.start(socket, location)) {
            List<String> second = ServerProcess.command("layerfd.server.ServerMain", new ArrayList<>(
                    List.of("--socket", socket.toString())));
            second.addAll(ServerProcess.storeArgs(location));
            Process other = new ProcessBuilder(second).redirectErrorStream(true).start();
            String out = new String(other.getInputStream().readAllBytes());
            assertTrue(other.waitFor(60, TimeUnit.SECONDS));
            assertEquals(1, other.exitValue(), out);
            assertTrue(out.contains("another server is listening"), out);
            assertTrue(server.isAlive());
            try (JavaClient client = JavaClient.connect(socket)) {
                assertNotEquals(null, client.result(Methods.INITIALIZE, params()));
            }
            assertEquals(0, server.stop(), server.log());
        }
    }

    @Test
    void systemdSocketActivationServesTheInheritedSocketAndLeavesItsFile() throws Exception {
        Path activate = Path.of("/usr/bin/systemd-socket-activate");
        assumeTrue(Files.isExecutable(activate), "needs systemd-socket-activate");
        Path socket = dir.resolve("activated.sock");
        StoreLocation location = Fixtures.location(Fixtures.ROOT_OVERLAY);
        List<String> command = ServerProcess.socketActivatedCommand(activate, socket, location);
        Path log = dir.resolve("activated.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            for (int i = 0; i < 500 && !Files.exists(socket); i++) {
                Thread.sleep(20);
            }
            // The first connection starts the server (systemd-socket-activate execs it with LISTEN_FDS=1).
            JsonNode out = PythonClient.run(socket, "call", Methods.INITIALIZE);
            assertEquals(Methods.PROTOCOL_VERSION, out.get("response").get("result").get("protocolVersion")
                    .intValue(), out.toString());
            assertTrue(Files.readString(log).contains("inherited=true"), Files.readString(log));
            process.destroy();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, process.exitValue(), Files.readString(log));
            assertTrue(Files.exists(socket), "an inherited socket's file belongs to systemd and stays");
        } finally {
            process.destroyForcibly();
        }
    }
}
