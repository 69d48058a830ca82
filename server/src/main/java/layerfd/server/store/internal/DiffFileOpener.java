package layerfd.server.store.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import layerfd.linux.Errno;
import layerfd.linux.LinuxException;
import layerfd.linux.Open;
import layerfd.linux.OwnedFd;
import layerfd.linux.FileIo;
import layerfd.linux.Stat;
import layerfd.server.store.StoreException;
import layerfd.server.store.StoreException.Kind;

/**
 * Opens a layer's files by tar-split name, read-only, beneath the layer's diff directories (nearest first, then the
 * lower chain: containers-storage.md §3.3). Holds one directory fd per diff root, opened while the store was locked,
 * so the lookups stay valid after the lock is released.
 * <p>Each lookup is {@code openat2(dir, name, O_PATH|O_NOFOLLOW, RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS)}: the kernel
 * refuses ".." escapes and symlinks in every component (§7 "Path safety"). Only after fstat shows a regular file is
 * it reopened for reading through {@code /proc/self/fd}, so a device node or fifo is never opened (an overlay
 * whiteout is a 0:0 char device; opening a fifo would block).
 */
public final class DiffFileOpener implements AutoCloseable {
    private static final long RESOLVE = Open.RESOLVE_BENEATH | Open.RESOLVE_NO_SYMLINKS | Open.RESOLVE_NO_MAGICLINKS;

    private final String layerId;
    private final List<Path> roots;
    private final List<OwnedFd> dirs;

    private DiffFileOpener(String layerId, List<Path> roots, List<OwnedFd> dirs) {
        this.layerId = layerId;
        this.roots = roots;
        this.dirs = dirs;
    }

    /** Opens a directory fd for each root (nearest first). */
    public static DiffFileOpener open(String layerId, List<Path> roots) throws StoreException {
        List<OwnedFd> dirs = new ArrayList<>(roots.size());
        try {
            for (Path root : roots) {
                dirs.add(Open.open(root.toString(), Open.O_RDONLY | Open.O_DIRECTORY | Open.O_NOFOLLOW
                        | Open.O_CLOEXEC, 0));
            }
        } catch (LinuxException e) {
            dirs.forEach(OwnedFd::close);
            throw new StoreException(Kind.IO_OR_INTEGRITY, "layer " + layerId + ": cannot open content directory: "
                    + e.getMessage(), e);
        }
        return new DiffFileOpener(layerId, List.copyOf(roots), dirs);
    }

    /** The diff roots searched, nearest first. */
    public List<Path> roots() {
        return roots;
    }

    /**
     * Opens {@code name} (tar-split name bytes; a leading "./" or "/" is fine) for reading. ENOENT in one root means
     * "look in the next lower one"; anything else is an error naming the file and the layer.
     */
    public OwnedFd open(byte[] name) throws IOException {
        byte[] relative = LayerPaths.clean(name, layerId);
        for (int i = 0; i < dirs.size(); i++) {
            OwnedFd path;
            try {
                path = Open.openat2(dirs.get(i).get(), relative, Open.O_PATH | Open.O_NOFOLLOW | Open.O_CLOEXEC, 0,
                        RESOLVE);
            } catch (LinuxException e) {
                if (e.errno() == Errno.ENOENT) {
                    continue;
                }
                throw failure(relative, i, e);
            }
            try (path) {
                Stat stat = FileIo.stat(path.get());
                if ((stat.mode() & Stat.S_IFMT) == Stat.S_IFLNK) {
                    // O_PATH|O_NOFOLLOW opened the final component's link itself: never read through it.
                    throw new StoreException(Kind.IO_OR_INTEGRITY, "refusing file '" + Open.printable(relative)
                            + "' of layer " + layerId + ": it is a symlink in " + roots.get(i));
                }
                if (!stat.isRegularFile()) {
                    throw new StoreException(Kind.IO_OR_INTEGRITY, "file '" + Open.printable(relative) + "' of layer "
                            + layerId + " is not a regular file in " + roots.get(i) + " (mode 0"
                            + Integer.toOctalString(stat.mode()) + ")");
                }
                return Open.open("/proc/self/fd/" + path.get(), Open.O_RDONLY | Open.O_CLOEXEC, 0);
            }
        }
        throw new StoreException(Kind.FILE_MISSING, "file '" + Open.printable(relative) + "' of layer " + layerId
                + " is in none of its " + dirs.size() + " content directories (first: " + roots.getFirst() + ")");
    }

    private StoreException failure(byte[] relative, int root, LinuxException e) {
        String file = "'" + Open.printable(relative) + "' of layer " + layerId;
        if (e.errno() == Errno.ELOOP || e.errno() == Errno.EXDEV) {
            // RESOLVE_NO_SYMLINKS gives ELOOP for a symlink in any component, RESOLVE_BENEATH EXDEV for an escape.
            return new StoreException(Kind.IO_OR_INTEGRITY, "refusing file " + file + ": its path leaves "
                    + roots.get(root) + " or goes through a symlink", e);
        }
        return new StoreException(Kind.IO_OR_INTEGRITY, "cannot open file " + file + " in " + roots.get(root) + ": "
                + e.getMessage(), e);
    }

    @Override
    public void close() {
        dirs.forEach(OwnedFd::close);
    }
}
