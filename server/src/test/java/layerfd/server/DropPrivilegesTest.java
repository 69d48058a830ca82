package layerfd.server;

import static layerfd.server.testing.JavaClient.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import layerfd.linux.CapabilitySets;
import layerfd.linux.OwnedFd;
import layerfd.protocol.Methods;
import layerfd.protocol.jsonrpc.Response;
import layerfd.server.privilege.PrivilegeDrop;
import layerfd.server.store.Fixtures;
import layerfd.server.store.LayerRecord;
import layerfd.server.store.Store;
import layerfd.server.store.StoreLocation;
import layerfd.server.store.StoreSnapshot;
import layerfd.server.testing.JavaClient;
import layerfd.server.testing.ReadableClassPath;
import layerfd.server.testing.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --drop-privileges} on a REAL server process started as root (docs/security.md "Privilege"): what the
 * kernel says the process holds afterwards, that it still streams every layer byte-exact, including a file only
 * CAP_DAC_READ_SEARCH lets uid 0 read, and that nothing else changed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DropPrivilegesTest {
    private static final String TEST_USER = System.getenv().getOrDefault("LAYERFD_TEST_USER", "layerfd-test");
    /** An owner no process of the test runs as: only a capability lets uid 0 read its 0600 file. */
    private static final String STRANGER = "4242:4242";
    private static final long NON_ROOT_EXIT_TIMEOUT_SECONDS = 60;
    private static final String SETPRIV = "/usr/bin/setpriv";
    private static final int SOCKET_POLLS = 500;
    private static final long POLL_MILLIS = 20;

    private Path dir;
    private StoreLocation store;
    private List<LayerRecord> layers;
    /** The largest file of the base image's first layer, made 0600 and owned by {@link #STRANGER}. */
    private Path privateFile;
    private ServerProcess dropped;
    private JavaClient client;

    @BeforeAll
    void startServerWithDropPrivileges(@TempDir Path tempDir) throws IOException {
        dir = tempDir;
        assertEquals(0, CapabilitySets.current().effectiveUid(), "these tests start the server as root");
        store = Fixtures.copy(Fixtures.ROOT_OVERLAY, dir);
        try (StoreSnapshot s = Store.open(store).readLocked()) {
            layers = s.imageLayers(s.resolveImage(Fixtures.BASE));
        }
        Path diff = store.graphRoot().resolve("overlay").resolve(layers.getFirst().id()).resolve("diff");
        try (Stream<Path> files = Files.walk(diff)) {
            privateFile = files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .max(Comparator.comparingLong(DropPrivilegesTest::size)).orElseThrow();
        }
        assertTrue(size(privateFile) > ServerOptions.DEFAULT_INLINE_THRESHOLD,
                privateFile + " travels as an fd, so the server must open it");
        // Its directory too: without CAP_DAC_READ_SEARCH, uid 0 could not even look up the name.
        Path parent = privateFile.getParent();
        Fixtures.run(dir, "chown", STRANGER, privateFile.toString(), parent.toString());
        Fixtures.run(dir, "chmod", "0600", privateFile.toString());
        Fixtures.run(dir, "chmod", "0700", parent.toString());
        dropped = ServerProcess.start(dir.resolve("dropped.sock"), store, "--drop-privileges");
        client = JavaClient.connect(dropped.socket());
    }

    @AfterAll
    void stopServer() throws Exception {
        if (client != null) {
            client.close();
        }
        if (dropped != null) {
            assertEquals(0, dropped.stop(), dropped.log());
            assertFalse(Files.exists(dropped.socket()), "the socket file it bound before the drop is removed at stop");
            dropped.close();
        }
    }

    @Test
    void everyThreadKeepsOnlyDacReadSearchWithNoNewPrivsAndUidZero() throws IOException {
        CapabilitySets process = CapabilitySets.ofProcess(dropped.pid());
        assertEquals(new CapabilitySets(0, PrivilegeDrop.KEPT, PrivilegeDrop.KEPT, PrivilegeDrop.KEPT, 0, true, 0),
                process, "CapInh, CapPrm, CapEff, CapBnd, CapAmb, NoNewPrivs, uid");
        assertEquals(4, PrivilegeDrop.KEPT, "CAP_DAC_READ_SEARCH is capability 2");
        List<Path> threads;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + dropped.pid() + "/task"))) {
            threads = tasks.toList();
        }
        assertTrue(threads.size() > 1, "a JVM runs many threads");
        for (Path thread : threads) {
            assertEquals(process, CapabilitySets.parse(Files.readString(thread.resolve("status"))), thread.toString());
        }
        assertEquals(1, dropped.events("privileges").size(), dropped.log());
        assertTrue(dropped.events("privileges").getFirst().contains("kept=CAP_DAC_READ_SEARCH effective=4 bounding=4 "
                + "no_new_privs=true uid=0"), dropped.log());
    }

    @Test
    void theTestFileNeedsExactlyDacReadSearch() throws Exception {
        // The control: uid 0 without capabilities cannot read it, uid 0 with only CAP_DAC_READ_SEARCH can.
        assertNotEquals(0, exitOf(SETPRIV, "--bounding-set=-all", "--inh-caps=-all", "--no-new-privs", "--",
                "cat", privateFile.toString()), "uid 0 without capabilities read " + privateFile);
        assertEquals(0, exitOf(SETPRIV, "--bounding-set=-all,+dac_read_search", "--inh-caps=-all",
                "--no-new-privs", "--", "cat", privateFile.toString()));
    }

    @Test
    void streamsEveryBaseLayerByteExactIncludingTheFileOnlyTheCapabilityOpens() throws Exception {
        boolean sawPrivateFile = false;
        for (LayerRecord layer : layers) {
            try (Response response = client.call(Methods.GET_SPLIT_FD_STREAM, params("layerId", layer.id()))) {
                assertFalse(response.isError(), () -> layer.id() + ": " + response.error() + "\n" + dropped.log());
                for (OwnedFd content : response.fds().subList(1, response.fds().size())) {
                    sawPrivateFile |= Files.isSameFile(Path.of("/proc/self/fd/" + content.get()), privateFile);
                }
                JavaClient.Reassembled tar = JavaClient.reassemble(response.fds());
                assertEquals(layer.diffDigest().orElseThrow(), tar.sha256(), "layer " + layer.id());
                assertEquals(layer.diffSize(), tar.length());
            }
        }
        assertTrue(sawPrivateFile, "the 0600 file of uid 4242 came as an fd");
    }

    @Test
    void socketIsBoundBeforeTheDropWithTheUsualModeAndTheStageOneDescriptorsAreGone() throws Exception {
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(dropped.socket())));
        Map<String, Long> open = openFiles(dropped.pid());
        // The JDK opens class path jars without O_CLOEXEC: had they leaked from the first stage, each were open twice.
        open.forEach((target, count) -> assertTrue(count == 1 || target.startsWith("socket:")
                || target.startsWith("anon_inode:") || target.startsWith("pipe:") || target.startsWith("/dev/"),
                target + " is open " + count + " times: " + open));
        // Both servers with one client connected, which has been answered (so it was accepted).
        client.result(Methods.INITIALIZE, params());
        try (ServerProcess plain = ServerProcess.start(dir.resolve("plain.sock"), store);
             JavaClient plainClient = JavaClient.connect(plain.socket())) {
            plainClient.result(Methods.INITIALIZE, params());
            assertEquals(sockets(openFiles(plain.pid())), sockets(openFiles(dropped.pid())),
                    "listener and connection, as in a server without the flag");
            plainClient.close();
            assertEquals(0, plain.stop(), plain.log());
        }
    }

    @Test
    void withoutTheFlagTheServerKeepsTheCapabilitiesItWasStartedWith() throws Exception {
        CapabilitySets mine = CapabilitySets.current();
        try (ServerProcess plain = ServerProcess.start(dir.resolve("unchanged.sock"), store)) {
            CapabilitySets its = CapabilitySets.ofProcess(plain.pid());
            assertEquals(mine.effective(), its.effective());
            assertEquals(mine.bounding(), its.bounding());
            assertFalse(its.noNewPrivs());
            assertTrue(plain.events("privileges").isEmpty(), plain.log());
            assertEquals(0, plain.stop(), plain.log());
        }
    }

    @Test
    void socketActivatedServerDropsTooAndLeavesSystemdsSocketFile() throws Exception {
        Path activate = Path.of("/usr/bin/systemd-socket-activate");
        assumeTrue(Files.isExecutable(activate), "needs systemd-socket-activate");
        Path socket = dir.resolve("activated.sock");
        List<String> command = ServerProcess.socketActivatedCommand(activate, socket, store, "--drop-privileges");
        Path log = dir.resolve("activated.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            for (int i = 0; i < SOCKET_POLLS && !Files.exists(socket); i++) {
                Thread.sleep(POLL_MILLIS);
            }
            // The first connection starts the server (systemd-socket-activate execs it with LISTEN_FDS=1, fd 3).
            try (JavaClient activated = JavaClient.connect(socket)) {
                activated.result(Methods.INITIALIZE, params());
                // systemd-socket-activate execs the server, so the pid is still that of the process started here.
                CapabilitySets kept = CapabilitySets.ofProcess(process.pid());
                assertEquals(PrivilegeDrop.KEPT, kept.effective(), Files.readString(log));
                assertEquals(PrivilegeDrop.KEPT, kept.bounding(), Files.readString(log));
                assertTrue(kept.noNewPrivs());
            }
            assertTrue(Files.readString(log).contains("inherited=true"), Files.readString(log));
            process.destroy();
            assertTrue(process.waitFor(NON_ROOT_EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertEquals(0, process.exitValue(), Files.readString(log));
            assertTrue(Files.exists(socket), "an inherited socket's file belongs to systemd and stays");
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void aServerNotStartedAsRootRefusesTheFlagWithAClearMessage() throws Exception {
        Fixtures.run(dir, "chmod", "0755", dir.toString());
        Path run = Files.createDirectories(dir.resolve("user-run"));
        Fixtures.run(dir, "chown", TEST_USER, run.toString());
        List<String> command = new ArrayList<>(List.of("runuser", "-u", TEST_USER, "--"));
        List<String> args = new ArrayList<>(List.of("--socket", run.resolve("layerfd.sock").toString(),
                "--drop-privileges"));
        args.addAll(ServerProcess.storeArgs(store));
        List<String> java = ServerProcess.command("layerfd.server.ServerMain", args);
        java.set(java.indexOf("-cp") + 1, ReadableClassPath.copyInto(dir));
        command.addAll(java);
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(NON_ROOT_EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS), output);
        assertEquals(ServerMain.EXIT_FAILED, process.exitValue(), output);
        assertTrue(output.matches("(?s)layerfd server: --drop-privileges: the server runs as uid \\d+, not root, and "
                + "has no privileges to drop.*start it without the option\\s*"), output);
        assertFalse(output.contains("\tat "), "no stack trace: " + output);
        assertFalse(Files.exists(run.resolve("layerfd.sock")), "nothing was bound");
    }

    private static Map<String, Long> openFiles(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.map(DropPrivilegesTest::target).collect(Collectors.groupingBy(Function.identity(),
                    Collectors.counting()));
        }
    }

    private static long sockets(Map<String, Long> open) {
        return open.entrySet().stream().filter(e -> e.getKey().startsWith("socket:")).mapToLong(Map.Entry::getValue)
                .sum();
    }

    private static String target(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
            return "closed meanwhile";
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int exitOf(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertTrue(p.waitFor(NON_ROOT_EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        return p.exitValue();
    }
}
