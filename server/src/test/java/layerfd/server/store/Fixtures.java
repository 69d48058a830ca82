package layerfd.server.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The fixture stores of scripts/fixtures/ (built by {@code build-all.sh}): located, built on first use and cached
 * under {@code /var/tmp/layerfd-fixtures/<hash of the fixture scripts>/}, so a second run (or another module's tests)
 * reuses them. Tests never modify the cache: a test that must mutate a store {@link #copy copies} it first.
 * Tests skip with a clear message when podman, skopeo or python3 are missing or when not running as root.
 */
public final class Fixtures {
    public static final Path CACHE_ROOT = Path.of("/var/tmp/layerfd-fixtures");
    /** build-all.sh takes about five seconds; allow for a slow, busy machine. */
    private static final long BUILD_TIMEOUT_SECONDS = 600;
    private static final List<String> TOOLS = List.of("/usr/bin/podman", "/usr/bin/skopeo", "/usr/bin/python3");

    /** Store names as build-all.sh lays them out. */
    public static final String ROOT_OVERLAY = "root-overlay";
    public static final String ROOTLESS_VFS = "rootless-vfs";
    public static final String AIS_BASE = "ais-base";
    public static final String WITH_AIS = "with-ais";

    /** Image names the fixture stores hold (see scripts/fixtures/make-store.sh). */
    public static final String BASE = "localhost/layerfd/base:1";
    public static final String BASE_ALIAS = "localhost/layerfd/base:alias";
    public static final String BIG = "localhost/layerfd/big:1";
    public static final String IMPORTED = "localhost/layerfd/imported:1";
    public static final String DERIVED = "localhost/layerfd/derived:1";
    public static final String BASE_PRIMARY = "localhost/layerfd/base:primary";
    public static final String PREFIX_REPO = "localhost/layerfd/prefix";
    public static final int PREFIX_IMAGES_ROOT = 17;

    private static Path built;
    /** A failed build is not retried by every later test (it takes long to fail); they all report it. */
    private static RuntimeException buildFailure;

    private Fixtures() {}

    /** The directory holding every fixture store, built if needed; skips the calling test when it cannot be. */
    public static synchronized Path root() {
        if (built != null) {
            return built;
        }
        if (buildFailure != null) {
            throw buildFailure;
        }
        for (String tool : TOOLS) {
            assumeTrue(Files.isExecutable(Path.of(tool)), "fixture stores need " + tool + " (CI installs it; see "
                    + "scripts/test-prereqs)");
        }
        assumeTrue("root".equals(System.getProperty("user.name")), "fixture stores are built and read as root");
        Path scripts = repositoryRoot().resolve("scripts/fixtures");
        Path dir = CACHE_ROOT.resolve(hash(scripts));
        try {
            if (!Files.exists(dir.resolve("READY"))) {
                build(scripts, dir);
            }
        } catch (IOException e) {
            buildFailure = new UncheckedIOException(e);
            throw buildFailure;
        } catch (RuntimeException e) {
            buildFailure = e;
            throw e;
        }
        built = dir;
        return dir;
    }

    /** The location of a fixture store in the cache (read only!). */
    public static StoreLocation location(String store) {
        return location(root(), store);
    }

    /** The location of a store laid out like the fixtures ({@code <dir>/<store>/graph}, {@code run}). */
    public static StoreLocation location(Path dir, String store) {
        Path base = dir.resolve(store);
        String driver = store.equals(ROOTLESS_VFS) ? StoreLocation.VFS : StoreLocation.OVERLAY;
        List<Path> additional = store.equals(WITH_AIS) ? List.of(root().resolve(AIS_BASE).resolve("graph")) : List.of();
        return new StoreLocation(base.resolve("graph"), base.resolve("run"), driver, Optional.empty(), additional,
                store.equals(ROOTLESS_VFS), List.of());
    }

    /** A private copy of a fixture store under {@code dest} ({@code cp -a --reflink=auto}), for tests that mutate. */
    public static StoreLocation copy(String store, Path dest) {
        run(dest, "cp", "-a", "--reflink=auto", root().resolve(store).toString(), dest.resolve(store).toString());
        return location(dest, store);
    }

    /** Runs a command, failing the test on a non-zero exit; returns its output. */
    public static String run(Path cwd, String... command) {
        try {
            Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(BUILD_TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    /** The repository checkout: the nearest ancestor of the working directory that has scripts/fixtures/. */
    public static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("scripts/fixtures/build-all.sh"))) {
                return p;
            }
        }
        throw new IllegalStateException("no scripts/fixtures/build-all.sh above " + Path.of("").toAbsolutePath());
    }

    private static void build(Path scripts, Path dir) throws IOException {
        Files.createDirectories(CACHE_ROOT);
        // Several test JVMs (modules built in parallel) may want the fixtures at once: one builds, the others wait.
        try (FileChannel lockChannel = FileChannel.open(CACHE_ROOT.resolve(dir.getFileName() + ".build-lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = lockChannel.lock();
            try {
                if (Files.exists(dir.resolve("READY"))) {
                    return;
                }
                Path tmp = CACHE_ROOT.resolve(dir.getFileName() + ".tmp-" + ProcessHandle.current().pid());
                run(CACHE_ROOT, "rm", "-rf", tmp.toString(), dir.toString());
                run(CACHE_ROOT, scripts.resolve("build-all.sh").toString(), tmp.toString());
                Files.move(tmp, dir);
            } finally {
                lock.release();
            }
        }
    }

    /** SHA-256 over the fixture scripts' names and contents, so changing a script rebuilds the fixtures. */
    private static String hash(Path scripts) {
        try (Stream<Path> files = Files.list(scripts)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                sha.update(f.getFileName().toString().getBytes());
                sha.update((byte) 0);
                sha.update(Files.readAllBytes(f));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
