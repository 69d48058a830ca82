package layerfd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import layerfd.linux.CapabilitySets;
import layerfd.protocol.Methods;
import layerfd.protocol.fdpass.FdpassSocket;
import layerfd.protocol.jsonrpc.JsonRpcConnection;
import layerfd.protocol.jsonrpc.MethodTable;
import layerfd.protocol.jsonrpc.Response;
import layerfd.server.privilege.PrivilegeDrop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code layerfd serve} as a real process: serves an (empty) store on --socket, exits 0 on SIGTERM; with
 * {@code --drop-privileges} it does the same holding only CAP_DAC_READ_SEARCH.
 */
class ServeCommandTest {
    private static final long START_TIMEOUT_MILLIS = 30_000;
    private static final long POLL_MILLIS = 20;

    @TempDir
    Path dir;

    @Test
    void serveAnswersOnItsSocketAndStopsCleanlyOnSigterm() throws Exception {
        Path socket = dir.resolve("run/layerfd/layerfd.sock");
        Path log = dir.resolve("serve.log");
        Process serve = startServe(socket, log, "--allow-uid", "4242", "--inline-threshold", "8192",
                "--max-fds-per-sendmsg", "8");
        try {
            assertTrue(read(log).contains("4242"), "the allow list names the extra uid: " + read(log));
            assertListsNoImages(socket);
            assertStopsCleanly(serve, socket, log);
            assertTrue(read(log).contains("event=request") && read(log).contains("method=ListImages"), read(log));
        } finally {
            serve.destroyForcibly();
        }
    }

    @Test
    void serveWithDropPrivilegesKeepsOnlyDacReadSearchAndStillServes() throws Exception {
        assertEquals(0, CapabilitySets.current().effectiveUid(), "this test starts serve as root");
        Path socket = dir.resolve("run/layerfd/layerfd.sock");
        Path log = dir.resolve("serve.log");
        Process serve = startServe(socket, log, "--drop-privileges");
        try {
            CapabilitySets kept = CapabilitySets.ofProcess(serve.pid());
            assertEquals(PrivilegeDrop.KEPT, kept.effective(), read(log));
            assertEquals(PrivilegeDrop.KEPT, kept.bounding(), read(log));
            assertTrue(kept.noNewPrivs(), read(log));
            assertListsNoImages(socket);
            assertStopsCleanly(serve, socket, log);
        } finally {
            serve.destroyForcibly();
        }
    }

    /** {@code layerfd serve} on the smallest store containers-storage reads; returns once it listens. */
    private Process startServe(Path socket, Path log, String... extra) throws Exception {
        Path graph = dir.resolve("graph");
        // The smallest store containers-storage reads: its two lock files, no records yet.
        Files.createDirectories(graph.resolve("overlay-layers"));
        Files.createDirectories(graph.resolve("overlay-images"));
        Files.createFile(graph.resolve("overlay-layers/layers.lock"));
        Files.createFile(graph.resolve("overlay-images/images.lock"));
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "layerfd.cli.Main", "serve", "--socket", socket.toString(), "--root", graph.toString(),
                "--runroot", dir.resolve("runroot").toString(), "--driver", "overlay"));
        command.addAll(List.of(extra));
        Process serve = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (!Files.readString(log).contains("event=listening") && System.currentTimeMillis() < deadline) {
            assertTrue(serve.isAlive(), () -> "serve exited early: " + read(log));
            Thread.sleep(POLL_MILLIS);
        }
        assertTrue(Files.exists(socket), read(log));
        return serve;
    }

    private static void assertListsNoImages(Path socket) throws Exception {
        try (JsonRpcConnection client = JsonRpcConnection.start(FdpassSocket.connect(socket), MethodTable.empty());
             Response response = client.call(Methods.LIST_IMAGES, JsonNodeFactory.instance.objectNode(),
                     List.of()).get(30, TimeUnit.SECONDS)) {
            assertFalse(response.isError(), () -> String.valueOf(response.error()));
            assertEquals(0, response.result().get("images").size());
        }
    }

    private static void assertStopsCleanly(Process serve, Path socket, Path log) throws Exception {
        serve.destroy();
        assertTrue(serve.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, serve.exitValue(), read(log));
        assertFalse(Files.exists(socket), "socket file removed on shutdown");
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
