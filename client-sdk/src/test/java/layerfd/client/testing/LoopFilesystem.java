package layerfd.client.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import layerfd.linux.Credentials;
import org.junit.jupiter.api.Assumptions;

/**
 * A real filesystem of a given type in a sparse image file, loop-mounted in a temporary directory: the only honest
 * way to test reflinks (java-platform §4.1: XFS and btrfs share extents, ext4 answers EOPNOTSUPP, crossing
 * filesystems EXDEV). {@link #close()} unmounts and deletes the image, also after a failed test. Where the machine
 * cannot do it (not root, no mkfs, no loop device), the test is aborted with a message saying why.
 */
public final class LoopFilesystem implements AutoCloseable {
    /** Big enough for a 64 MiB file copied twice plus metadata; btrfs needs at least 114 MiB. */
    public static final long IMAGE_BYTES = 512L * 1024 * 1024;

    /** The filesystems the reflink policy behaves differently on. */
    public enum Type {
        XFS("mkfs.xfs", "-q", "-m", "reflink=1"),
        BTRFS("mkfs.btrfs", "-q"),
        EXT4("mkfs.ext4", "-q", "-F");

        private final List<String> mkfs;

        Type(String... mkfs) {
            this.mkfs = List.of(mkfs);
        }
    }

    private final Path workDir;
    private final Path mountPoint;
    private boolean mounted;

    private LoopFilesystem(Path workDir) {
        this.workDir = workDir;
        this.mountPoint = workDir.resolve("mnt");
    }

    /** Makes and mounts a filesystem of {@code type}, or aborts the calling test with the reason. */
    public static LoopFilesystem mount(Type type) {
        Assumptions.assumeTrue(Credentials.effectiveUid() == 0, "loop-mounting " + type + " needs root");
        Assumptions.assumeTrue(Processes.onPath(type.mkfs.getFirst()), type.mkfs.getFirst() + " is not installed");
        LoopFilesystem fs;
        try {
            fs = new LoopFilesystem(Files.createTempDirectory("layerfd-" + type.name().toLowerCase() + "-"));
            Files.createDirectory(fs.mountPoint);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path image = fs.workDir.resolve("image");
        List<String> mkfs = new ArrayList<>(type.mkfs);
        mkfs.add(image.toString());
        Processes.Result made;
        Processes.Result mount = null;
        try {
            Processes.check("truncate", "-s", Long.toString(IMAGE_BYTES), image.toString());
            made = Processes.run(mkfs, new byte[0]);
            if (made.exitCode() == 0) {
                mount = Processes.run(List.of("mount", "-o", "loop", image.toString(), fs.mountPoint.toString()),
                        new byte[0]);
                fs.mounted = mount.exitCode() == 0;
            }
        } catch (RuntimeException e) {
            fs.close();
            throw e;
        }
        if (!fs.mounted) {
            fs.close();
            Assumptions.abort("cannot make or mount " + type + ": "
                    + (made.exitCode() != 0 ? made.stderr() : mount.stderr()));
        }
        return fs;
    }

    /** The mounted filesystem's root directory. */
    public Path root() {
        return mountPoint;
    }

    /** Bytes free for an unprivileged user (statvfs f_bavail), after flushing pending allocations. */
    public long freeBytes() {
        Processes.check("sync", "-f", mountPoint.toString());
        try {
            return Files.getFileStore(mountPoint).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (mounted) {
            Processes.Result r = Processes.run(List.of("umount", mountPoint.toString()), new byte[0]);
            if (r.exitCode() != 0) {
                Processes.run(List.of("umount", "-l", mountPoint.toString()), new byte[0]); // busy: detach now
            }
            mounted = false;
        }
        Processes.run(List.of("rm", "-rf", "--one-file-system", workDir.toString()), new byte[0]);
    }
}
