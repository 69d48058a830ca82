package layerfd.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Whether files under one directory can share extents (reflink) with files under another: the kernel clones only
 * within one filesystem (one superblock; a bind mount of it counts, java-platform.md §4.1) of a type that supports
 * it. XFS made with {@code reflink=0} answers EOPNOTSUPP at the first clone; that cannot be seen from here.
 */
public final class ExtentSharing {
    /** Filesystems whose FICLONE works (XFS since reflink became the mkfs default, btrfs always). */
    static final Set<String> REFLINK_FILESYSTEMS = Set.of("xfs", "btrfs", "bcachefs", "ocfs2");

    private ExtentSharing() {}

    /** The verdict and the reason, in words for `layerfd status`. */
    public record Verdict(boolean canShare, String sourceType, String targetType, String reason) {}

    public static Verdict between(Path source, Path target) throws IOException {
        Path existingTarget = nearestExisting(target.toAbsolutePath());
        String sourceType = Files.getFileStore(source).type();
        String targetType = Files.getFileStore(existingTarget).type();
        Object sourceDevice = Files.getAttribute(source, "unix:dev");
        Object targetDevice = Files.getAttribute(existingTarget, "unix:dev");
        if (!sourceDevice.equals(targetDevice)) {
            return new Verdict(false, sourceType, targetType,
                    "different filesystems (" + sourceType + " and " + targetType + "): reflinks would fail with EXDEV");
        }
        if (!REFLINK_FILESYSTEMS.contains(sourceType)) {
            return new Verdict(false, sourceType, targetType,
                    sourceType + " cannot share extents: reflinks would fail with EOPNOTSUPP");
        }
        return new Verdict(true, sourceType, targetType, "same " + sourceType + " filesystem");
    }

    private static Path nearestExisting(Path path) {
        Path p = path;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p == null ? Path.of("/") : p;
    }
}
