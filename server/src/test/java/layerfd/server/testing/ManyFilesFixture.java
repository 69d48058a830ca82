package layerfd.server.testing;

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
import layerfd.server.store.Fixtures;
import layerfd.server.store.StoreLocation;

/**
 * The many-file store of scripts/fixtures/many-files/ (images {@code files700} and {@code files5000}, each one layer),
 * built on first use with podman's skopeo and cached under {@code /var/tmp/layerfd-fixtures/many-files-<hash>/},
 * where the hash covers the scripts it depends on. Read only.
 */
public final class ManyFilesFixture {
    public static final String FILES_700 = "localhost/layerfd/files700:1";
    public static final String FILES_5000 = "localhost/layerfd/files5000:1";
    /** Only in the huge variant (build-many-files.sh --huge). */
    public static final String FILES_100K = "localhost/layerfd/files100k:1";
    public static final int EXTERNAL_700 = 700;
    public static final int EXTERNAL_5000 = 5000;
    public static final int EXTERNAL_100K = 100_000;
    private static final String HUGE_FLAG = "--huge";

    private static Path built;
    private static Path builtHuge;

    private ManyFilesFixture() {}

    public static synchronized StoreLocation location() {
        if (built == null) {
            built = build(false);
        }
        return location(built);
    }

    /** The variant that also holds {@link #FILES_100K} (about a gigabyte; for the opt-in benchmark test). */
    public static synchronized StoreLocation hugeLocation() {
        if (builtHuge == null) {
            builtHuge = build(true);
        }
        return location(builtHuge);
    }

    private static StoreLocation location(Path dir) {
        Path store = dir.resolve("store");
        return new StoreLocation(store.resolve("graph"), store.resolve("run"), StoreLocation.OVERLAY,
                Optional.empty(), List.of(), false, List.of());
    }

    private static Path build(boolean huge) {
        Fixtures.root(); // the same prerequisites (podman, skopeo, python3, root); skips the test otherwise
        Path scripts = Fixtures.repositoryRoot().resolve("scripts/fixtures");
        String hash = hash(scripts.resolve("many-files/build-many-files.sh"),
                scripts.resolve("many-files/make-many-files-oci.py"), scripts.resolve("make-oci.py"));
        Path dir = Fixtures.CACHE_ROOT.resolve((huge ? "many-files-huge-" : "many-files-") + hash);
        // Several test JVMs may want the store at once: one builds it, the others wait on the lock.
        try (FileChannel lock = FileChannel.open(Path.of(dir + ".build-lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            FileLock held = lock.lock();
            try {
                if (!Files.exists(dir.resolve("READY"))) {
                    buildInto(scripts, dir, huge);
                }
            } finally {
                held.release();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assumeTrue(Files.exists(dir.resolve("READY")), "many-file fixture not built");
        return dir;
    }

    private static void buildInto(Path scripts, Path dir, boolean huge) throws IOException {
        Path tmp = Path.of(dir + ".tmp-" + ProcessHandle.current().pid());
        Fixtures.run(Fixtures.CACHE_ROOT, "rm", "-rf", tmp.toString(), dir.toString());
        String script = scripts.resolve("many-files/build-many-files.sh").toString();
        if (huge) {
            Fixtures.run(Fixtures.CACHE_ROOT, script, tmp.toString(), HUGE_FLAG);
        } else {
            Fixtures.run(Fixtures.CACHE_ROOT, script, tmp.toString());
        }
        Files.move(tmp, dir);
    }

    private static String hash(Path... files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path f : files) {
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
