package layerfd.server.store.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import layerfd.server.store.StoreLocation;
import layerfd.server.store.config.internal.PodmanVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real podman on this machine as the oracle: for each configuration, {@code podman info --format json} and
 * {@link StoreDiscovery} must name the same graphroot, runroot and driver (or both must refuse it). Every store path is
 * in a temporary directory; root runs happen in a private mount namespace with tmpfs over /var/lib/containers and
 * /run/containers, so a wrong configuration cannot touch the real root store. Rootless runs use the test user
 * (scripts/test-prereqs) with HOME and XDG_* in the temporary directory, and the pause process podman starts there is
 * ended afterwards.
 */
class PodmanOracleDiscoveryTest {
    private static final String TEST_USER = System.getenv().getOrDefault("LAYERFD_TEST_USER", "layerfd-test");
    private static final int TEST_UID = FakeSystem.USER;
    private static final Duration PODMAN_TIMEOUT = Duration.ofSeconds(60);
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final List<String> SHADOWED_ROOT_DIRS = List.of("/var/lib/containers", "/run/containers");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final File DEV_NULL = new File("/dev/null");
    /** $0 of the shell script that shadows the root store. */
    private static final String SCRIPT_NAME = "layerfd-oracle";

    private static String podmanVersion;
    private static ConfigSemantics semantics;
    private static int euid;

    @TempDir
    Path tmp;

    @BeforeAll
    static void podmanInstalled() {
        Optional<String> version = PodmanVersion.probe();
        assumeTrue(version.isPresent(), "podman is not installed: the podman oracle is skipped");
        podmanVersion = version.get();
        semantics = ConfigSemantics.forPodmanVersion(version);
        euid = DiscoveryEnvironment.current().effectiveUid();
    }

    @BeforeEach
    void traversableByTheTestUser() throws IOException {
        Files.setAttribute(tmp, "unix:mode", 0755);
    }

    // ---- root ----

    @Test
    void rootExplicitConfigWithVfs() throws Exception {
        Path conf = write("r1.conf", "[storage]\ndriver = \"vfs\"\ngraphroot = \"" + tmp.resolve("r1/g")
                + "\"\nrunroot = \"" + tmp.resolve("r1/r") + "\"\n");
        assertAgreeAsRoot(Map.of("CONTAINERS_STORAGE_CONF", conf.toString()));
    }

    @Test
    void rootExpandsUidAndEnvironmentAndPicksTheDefaultDriver() throws Exception {
        Path conf = write("r2.conf", "[storage]\ngraphroot = \"" + tmp.resolve("r2/g-$UID")
                + "\"\nrunroot = \"$BASE/r2/r\"\n");
        assertAgreeAsRoot(Map.of("CONTAINERS_STORAGE_CONF", conf.toString(), "BASE", tmp.toString()));
    }

    @Test
    void rootStorageDriverBeatsTheConfiguredOverlay2() throws Exception {
        Path conf = write("r3.conf", "[storage]\ndriver = \"overlay2\"\ngraphroot = \"" + tmp.resolve("r3/g")
                + "\"\nrunroot = \"" + tmp.resolve("r3/r") + "\"\n");
        assertAgreeAsRoot(Map.of("CONTAINERS_STORAGE_CONF", conf.toString(), "STORAGE_DRIVER", "vfs"));
    }

    @Test
    void rootConfigWithoutRunroot() throws Exception {
        Path conf = write("r4.conf", "[storage]\ndriver = \"vfs\"\ngraphroot = \"" + tmp.resolve("r4/g") + "\"\n");
        assertAgreeAsRoot(Map.of("CONTAINERS_STORAGE_CONF", conf.toString()));
    }

    // ---- rootless ----

    @Test
    void rootlessWithoutAnyConfiguration() throws Exception {
        assertAgreeAsTestUser(userDirs("u1"));
    }

    @Test
    void rootlessExplicitConfigWithRootlessStoragePathRootsAndImageStore() throws Exception {
        Map<String, String> env = userDirs("u2");
        // podman creates lock directories in an additional image store, so the user must own it.
        Path ais = Files.createDirectories(tmp.resolve("u2/ais"));
        chownToTestUser(ais);
        env.put("CONTAINERS_STORAGE_CONF", write("u2.conf", "[storage]\nrootless_storage_path = \""
                + tmp.resolve("u2/rsp-$UID") + "\"\ngraphroot = \"" + tmp.resolve("u2/g") + "\"\nrunroot = \""
                + tmp.resolve("u2/r") + "\"\n[storage.options]\nadditionalimagestores = [\"" + ais + "\"]\n")
                .toString());
        assertAgreeAsTestUser(env);
    }

    @Test
    void rootlessUserFileWithOnlyARunrootAndXdgDataHome() throws Exception {
        Map<String, String> env = userDirs("u3");
        Path config = tmp.resolve("u3/config");
        write("u3/config/containers/storage.conf", "[storage]\nrunroot = \"" + tmp.resolve("u3/own-run") + "\"\n");
        env.put("XDG_CONFIG_HOME", config.toString());
        env.put("XDG_DATA_HOME", tmp.resolve("u3/data").toString());
        chownToTestUser(tmp.resolve("u3"));
        assertAgreeAsTestUser(env);
    }

    @Test
    void rootlessStorageDriverOverlay() throws Exception {
        Map<String, String> env = userDirs("u4");
        env.put("STORAGE_DRIVER", "overlay");
        assertAgreeAsTestUser(env);
    }

    // ---- machinery ----

    private void assertAgreeAsRoot(Map<String, String> env) throws Exception {
        assumeTrue(euid == FakeSystem.ROOT, "the root oracle needs root");
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                shadowRootStoreScript(), SCRIPT_NAME));
        command.addAll(envCommand(env));
        Outcome podman = run(command);
        assertAgree(podman, env, FakeSystem.ROOT, Path.of("/root"));
    }

    private void assertAgreeAsTestUser(Map<String, String> env) throws Exception {
        assumeTrue(euid == FakeSystem.ROOT, "the rootless oracle runs the test user through runuser as root");
        assumeTrue(run(List.of("id", "-u", TEST_USER)).exitCode == 0,
                "user " + TEST_USER + " is missing: run scripts/test-prereqs as root");
        List<String> command = new ArrayList<>(List.of("runuser", "-u", TEST_USER, "--"));
        command.addAll(envCommand(env));
        Outcome podman;
        try {
            podman = run(command);
        } finally {
            endPauseProcess(Path.of(env.get("XDG_RUNTIME_DIR")));
        }
        assertAgree(podman, env, TEST_UID, Path.of(env.get("HOME")));
    }

    private void assertAgree(Outcome podman, Map<String, String> env, int euid, Path home) throws Exception {
        DiscoveryEnvironment environment = new DiscoveryEnvironment(env, euid, home, Path.of("/"), semantics,
                podmanVersion);
        if (podman.exitCode != 0) {
            StoreConfigException refused = assertThrows(StoreConfigException.class,
                    () -> StoreDiscovery.discover(StoreOverrides.none(), environment),
                    "podman refused the configuration (" + podman.stderr.strip() + "); discovery must refuse too");
            assertFalse(refused.getMessage().isBlank());
            return;
        }
        JsonNode store = JSON.readTree(podman.stdout).path("store");
        StoreLocation location = StoreDiscovery.discover(StoreOverrides.none(), environment);
        assertEquals(Path.of(store.path("graphRoot").asText()), location.graphRoot(), "graphRoot");
        assertEquals(Path.of(store.path("runRoot").asText()), location.runRoot(), "runRoot");
        assertEquals(store.path("graphDriverName").asText(), location.driver(), "graphDriverName");
        assertEquals(imageStoreOptions(store.path("graphOptions")), Set.copyOf(location.additionalImageStores()),
                "additional image stores in graphOptions");
    }

    /** podman info shows driver options as a map; the additional image stores are the "[driver].imagestore" keys. */
    private static Set<Path> imageStoreOptions(JsonNode graphOptions) {
        Set<Path> stores = new HashSet<>();
        graphOptions.properties().forEach(e -> {
            if (e.getKey().endsWith("imagestore")) {
                stores.add(Path.of(e.getValue().asText()));
            }
        });
        return stores;
    }

    /** tmpfs over the real root store directories that exist, then exec the command given as arguments. */
    private static String shadowRootStoreScript() {
        StringBuilder script = new StringBuilder();
        for (String dir : SHADOWED_ROOT_DIRS) {
            script.append("if [ -d ").append(dir).append(" ]; then mount -t tmpfs layerfd-oracle ").append(dir)
                    .append(" || exit 97; fi; ");
        }
        return script.append("exec \"$@\"").toString();
    }

    private static List<String> envCommand(Map<String, String> env) {
        // `env -i` makes podman see exactly this environment.
        List<String> command = new ArrayList<>(List.of("env", "-i", "PATH=" + PATH));
        env.forEach((k, v) -> command.add(k + "=" + v));
        command.addAll(List.of("podman", "info", "--format", "json"));
        return command;
    }

    /** HOME and XDG_RUNTIME_DIR for the test user under the temporary directory. */
    private Map<String, String> userDirs(String name) throws IOException {
        Path base = Files.createDirectories(tmp.resolve(name));
        Path home = Files.createDirectories(base.resolve("home"));
        Path run = Files.createDirectories(base.resolve("run"));
        Files.setAttribute(run, "unix:mode", 0700);
        chownToTestUser(base);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", home.toString());
        env.put("XDG_RUNTIME_DIR", run.toString());
        return env;
    }

    private static void chownToTestUser(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.toList()) {
                Files.setAttribute(p, "unix:uid", TEST_UID);
                Files.setAttribute(p, "unix:gid", TEST_UID);
            }
        }
    }

    /** Rootless podman leaves a pause process keeping its namespaces alive; it is ours, so end it. */
    private static void endPauseProcess(Path runtimeDir) throws IOException {
        Path pidFile = runtimeDir.resolve("libpod/tmp/pause.pid");
        if (Files.exists(pidFile)) {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }
    }

    private Path write(String relative, String content) throws IOException {
        Path path = tmp.resolve(relative);
        Files.createDirectories(path.getParent());
        Files.writeString(path, content);
        Files.setAttribute(path, "unix:mode", 0644);
        return path;
    }

    private record Outcome(int exitCode, String stdout, String stderr) {
    }

    private static Outcome run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(DEV_NULL)).start();
        // podman info prints a few kilobytes; read both streams fully before waiting.
        byte[] out;
        byte[] errBytes;
        try (var stdout = process.getInputStream(); var stderr = process.getErrorStream()) {
            var errReader = new CompletableFuture<byte[]>();
            Thread.ofVirtual().start(() -> {
                try {
                    errReader.complete(stderr.readAllBytes());
                } catch (IOException e) {
                    errReader.completeExceptionally(e);
                }
            });
            out = stdout.readAllBytes();
            errBytes = errReader.join();
        }
        assertTrue(process.waitFor(PODMAN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "timed out: " + command);
        return new Outcome(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(errBytes, StandardCharsets.UTF_8));
    }
}
