package layerfd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import layerfd.protocol.Methods;
import layerfd.server.store.Fixtures;
import layerfd.server.store.LayerRecord;
import layerfd.server.store.Store;
import layerfd.server.store.StoreLocation;
import layerfd.server.store.StoreSnapshot;
import layerfd.server.testing.PythonClient;
import layerfd.server.testing.ServerProcess;
import layerfd.server.testing.ReadableClassPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server run as the unprivileged owner of a rootless store (built by rootless podman as {@code layerfd-test}):
 * it opens files owned by sub-uids through the userns helper (docs/rootless.md), and the streams are still
 * byte-exact, whole or windowed.
 */
class RootlessServerTest {
    private static final String USER = System.getenv().getOrDefault("LAYERFD_TEST_USER", "layerfd-test");
    private static final int WINDOW = 1;

    @TempDir
    Path dir;

    @Test
    void anUnprivilegedServerStreamsARootlessStoreThroughTheHelper() throws Exception {
        StoreLocation location = Fixtures.location(Fixtures.ROOTLESS_VFS);
        Process id = new ProcessBuilder("id", "-u", USER).start();
        String uid = new String(id.getInputStream().readAllBytes()).trim();
        assumeTrue(id.waitFor() == 0, "no user " + USER);
        List<LayerRecord> layers;
        try (StoreSnapshot s = Store.open(location).readLocked()) {
            layers = s.imageLayers(s.resolveImage(Fixtures.BASE));
        }
        Fixtures.run(dir, "chmod", "0755", dir.toString());
        Path run = Files.createDirectories(dir.resolve("run"));
        Fixtures.run(dir, "chown", USER, run.toString());
        List<String> command = new ArrayList<>(List.of("runuser", "-u", USER, "--", "env",
                "HOME=/home/" + USER, "XDG_RUNTIME_DIR=/run/user/" + uid, "PATH=/usr/bin:/bin"));
        List<String> args = new ArrayList<>(List.of("--socket", run.resolve("layerfd.sock").toString()));
        args.addAll(ServerProcess.storeArgs(location));
        List<String> java = ServerProcess.command("layerfd.server.ServerMain", args);
        java.set(java.indexOf("-cp") + 1, ReadableClassPath.copyInto(dir));
        command.addAll(java);
        try (ServerProcess server = ServerProcess.start(new ProcessBuilder(command).directory(dir.toFile()),
                run.resolve("layerfd.sock"))) {
            JsonNode store = PythonClient.run(server.socket(), "call", Methods.INITIALIZE).get("response")
                    .get("result").get("store");
            assertTrue(store.get("rootless").booleanValue());
            assertTrue(store.get("helper").booleanValue(), "files go through the userns helper");
            for (LayerRecord layer : layers) {
                JsonNode whole = PythonClient.run(server.socket(), "reassemble", layer.id());
                assertEquals(layer.diffDigest().orElseThrow(), whole.get("sha256").textValue(), whole.toString());
                JsonNode windowed = PythonClient.run(server.socket(), "windowed", layer.id(), "--window",
                        String.valueOf(WINDOW));
                assertEquals(layer.diffDigest().orElseThrow(), windowed.get("sha256").textValue(),
                        windowed.toString());
            }
            assertEquals(0, server.stopWrappedJvm(), server.log());
        }
    }

}
