package layerfd.server.rootless;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import layerfd.server.store.Fixtures;
import layerfd.server.store.Store;
import layerfd.server.store.StoreLocation;
import layerfd.server.store.StoreSnapshot;
import layerfd.server.testing.ReadableClassPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The helper as a rootless server really uses it: {@link RootlessDriver} runs as the fixture user
 * {@code layerfd-test} (uid 1001, sub-ids 100000:65536, created by the test setup) through runuser, reads the
 * rootless vfs fixture store made by that user with podman, and starts the helper under podman unshare. This JVM
 * (root) prepares a class path the user can read, checks the driver's output, and checks that no helper or podman
 * process of the user is left behind.
 */
class RootlessHelperTest {
    private static final String USER = "layerfd-test";
    private static final String HOME = "/home/" + USER;
    private static final long DRIVER_TIMEOUT_SECONDS = 300;
    private static final long LEFTOVER_WAIT_MILLIS = 30_000;
    private static final int TREE_FILES = 10_000;
    private static final int BIG_FILE_BYTES = 64 << 20;
    /** Container uid 1000 in the user namespace: subuid start + 1000 - 1 (containers-storage brief §5). */
    private static final String SUB_UID_OWNER = "100999:100999";
    private static final Path WORK = Path.of("/var/tmp/layerfd-rootless-test-" + ProcessHandle.current().pid());

    private static String classPath;
    private static StoreLocation store;

    @BeforeAll
    static void prepare() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "runs the driver through runuser as root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/podman")), "needs podman");
        assumeTrue(Files.isDirectory(Path.of(HOME)), "needs the fixture user " + USER);
        store = Fixtures.location(Fixtures.ROOTLESS_VFS);
        classPath = ReadableClassPath.copyInto(WORK);
    }

    @AfterAll
    static void cleanUp() {
        if (Files.exists(WORK)) {
            Fixtures.run(Path.of("/"), "rm", "-rf", WORK.toString());
        }
    }

    @AfterEach
    void noHelperOrPodmanLeft() throws Exception {
        assertEquals(List.of(), leftovers(), "helper or podman processes of " + USER + " left behind");
    }

    @Test
    void everyLayerOfTheRootlessStreamsByteExactThroughTheHelper() throws Exception {
        int layers;
        try (StoreSnapshot snapshot = Store.open(store).readLocked()) {
            layers = snapshot.layers().size();
        }
        String out = driver("stream-all", store.graphRoot().toString(), store.runRoot().toString());
        assertTrue(out.contains("PASS stream-all"), out);
        assertEquals(layers, count(out, "streamed "), out);
        // The store must really be unreadable to its owner, or this test would prove nothing.
        assertTrue(count(out, "direct-denied ") >= 1, out);
    }

    @Test
    void pathsOutsideTheGraphRootAreRefused() throws Exception {
        String out = driver("refuse", store.graphRoot().toString(), store.runRoot().toString());
        assertTrue(out.contains("PASS refuse"), out);
        assertEquals(3, count(out, "refused-directory "), out);
        assertTrue(out.contains("refused-names 2 opened-shadow root:*:19000:0:99999:7:::"), out);
        assertTrue(out.contains("layerfd userns helper: refused"), "refusals are logged to stderr: " + out);
    }

    @Test
    void helperKilledMidRequestIsAClearErrorThenRestartedOnce() throws Exception {
        String out = driver("kill", store.graphRoot().toString(), store.runRoot().toString());
        assertTrue(out.contains("PASS kill"), out);
        assertTrue(out.contains("after-restart top secret"), out);
        assertTrue(out.contains("second-death the userns helper died again after it had been restarted once"), out);
    }

    @Test
    void serverKilledLeavesNoHelperBehind() throws Exception {
        String out = driver("orphan", store.graphRoot().toString(), store.runRoot().toString());
        assertTrue(out.contains("helper-pid "), out);
        // @AfterEach waits for the helper and podman to notice the closed socket and exit.
    }

    @Test
    void tenThousandFileLayerOwnedBySubUidOpensThroughTheHelper() throws Exception {
        Path graph = WORK.resolve("tree/graph");
        Path layer = graph.resolve("vfs/dir/" + "c".repeat(64));
        String bigSha = makeTree(graph, layer);
        String direct = RootlessTree.openAllDirectly(layer, TREE_FILES);
        String out = driver("tree", graph.toString(), WORK.resolve("tree/run").toString(), layer.toString(),
                Integer.toString(TREE_FILES), bigSha);
        assertTrue(out.contains("PASS tree"), out);
        assertTrue(direct.contains("big-sha256 " + bigSha), direct);
        String helperLine = out.lines().filter(l -> l.startsWith("helper cold")).findFirst().orElseThrow();
        String startLine = out.lines().filter(l -> l.startsWith("helper-start-ms ")).findFirst().orElseThrow();
        // The figures for docs/rootless.md.
        System.out.println("MEASURED " + direct + " | " + helperLine + " | " + startLine);
    }

    /** {@code TREE_FILES} small files and one big one, sub-uid owned, dirs 0700, files 0600, big file 0000. */
    private static String makeTree(Path graph, Path layer) throws Exception {
        for (int i = 0; i < TREE_FILES; i++) {
            Path file = layer.resolve(new String(RootlessTree.names(TREE_FILES).get(i)));
            Files.createDirectories(file.getParent());
            Files.writeString(file, "file " + i + "\n");
        }
        byte[] big = new byte[BIG_FILE_BYTES];
        new Random(1).nextBytes(big);
        Files.write(layer.resolve(RootlessTree.BIG), big);
        Fixtures.run(WORK, "chown", "-R", SUB_UID_OWNER, layer.toString());
        Fixtures.run(WORK, "find", layer.toString(), "-type", "d", "-exec", "chmod", "0700", "{}", "+");
        Fixtures.run(WORK, "find", layer.toString(), "-type", "f", "-exec", "chmod", "0600", "{}", "+");
        Fixtures.run(WORK, "chmod", "0000", layer.resolve(RootlessTree.BIG).toString());
        Fixtures.run(WORK, "chown", USER + ":", graph.toString(), graph.resolve("vfs").toString(),
                graph.resolve("vfs/dir").toString());
        Fixtures.run(WORK, "chmod", "0700", graph.toString());
        return RootlessDriver.sha256(big);
    }

    /** Runs the driver as the user and returns stdout+stderr; it must exit 0 within the timeout. */
    private static String driver(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("runuser", "-u", USER, "--", "env", "-i", "HOME=" + HOME,
                "XDG_RUNTIME_DIR=/run/user/1001", "PATH=/usr/local/bin:/usr/bin:/bin",
                ProcessHandle.current().info().command().orElseThrow(), "--enable-native-access=ALL-UNNAMED",
                "-cp", classPath, RootlessDriver.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(Path.of("/").toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(DRIVER_TIMEOUT_SECONDS, TimeUnit.SECONDS), "driver timed out: " + out);
        assertEquals(0, p.exitValue(), "driver failed:\n" + out);
        return out;
    }


    /** Helper JVMs and podman commands of the user, except podman's long-lived pause process (catatonit). */
    private static List<String> leftovers() throws Exception {
        long deadline = System.currentTimeMillis() + LEFTOVER_WAIT_MILLIS;
        List<String> found;
        do {
            String ps = Fixtures.run(Path.of("/"), "ps", "-u", USER, "-o", "pid=,args=");
            try (Stream<String> lines = ps.lines()) {
                found = lines.map(String::trim)
                        .filter(l -> l.contains("HelperMain") || (l.contains("podman") && !l.contains("catatonit")))
                        .toList();
            }
            if (!found.isEmpty()) {
                Thread.sleep(100);
            }
        } while (!found.isEmpty() && System.currentTimeMillis() < deadline);
        return found;
    }

    private static int count(String out, String prefix) {
        return (int) out.lines().filter(l -> l.startsWith(prefix)).count();
    }
}
