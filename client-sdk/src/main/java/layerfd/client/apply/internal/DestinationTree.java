package layerfd.client.apply.internal;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import layerfd.client.apply.ApplyException;
import layerfd.client.apply.ApplyException.Reason;
import layerfd.linux.DirectoryEntries;
import layerfd.linux.Errno;
import layerfd.linux.FileIo;
import layerfd.linux.LinuxException;
import layerfd.linux.Open;
import layerfd.linux.OwnedFd;
import layerfd.linux.ReadDir;
import layerfd.linux.Stat;

/**
 * The destination directory, reached only through its descriptor. Every lookup is an openat2 with
 * RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS, so no entry can reach outside the destination or write through a symlink an
 * earlier entry planted: the kernel refuses the lookup (ELOOP) and the entry fails with a clear error.
 */
final class DestinationTree {
    static final long RESOLVE = Open.RESOLVE_BENEATH | Open.RESOLVE_NO_SYMLINKS | Open.RESOLVE_NO_MAGICLINKS;
    /** Mode of a parent directory the layer does not list (containerd and Docker use 0755 as well). */
    static final int IMPLICIT_DIRECTORY_MODE = 0755;
    private static final int PATH_DIRECTORY = Open.O_PATH | Open.O_DIRECTORY | Open.O_CLOEXEC;

    private final OwnedFd root;
    private EntryPath cachedParent;
    private OwnedFd cachedParentFd;

    /** Borrows {@code root} (an O_RDONLY directory descriptor); the caller closes it after {@link #close()}. */
    DestinationTree(OwnedFd root) {
        this.root = root;
    }

    int rootFd() {
        return root.get();
    }

    /**
     * The directory {@code dir}, as an O_PATH descriptor owned by the tree (valid until the next call that changes
     * the tree). Missing directories are created (mode 0755) and reported to {@code created} when it is not null;
     * otherwise a missing directory gives {@code null}.
     */
    Integer directory(EntryPath dir, String entry, Consumer<EntryPath> created) throws IOException {
        if (dir.isRoot()) {
            return root.get();
        }
        if (cachedParentFd != null && cachedParent.key().equals(dir.key())) {
            return cachedParentFd.get();
        }
        invalidate();
        OwnedFd fd;
        try {
            fd = Open.openat2(root.get(), dir.bytes(), PATH_DIRECTORY, 0, RESOLVE);
        } catch (LinuxException e) {
            if (e.errno() != Errno.ENOENT) {
                throw lookupError(e, dir, entry);
            }
            if (created == null) {
                return null;
            }
            fd = createDirectories(dir, entry, created);
        }
        cachedParent = dir;
        cachedParentFd = fd;
        return fd.get();
    }

    private OwnedFd createDirectories(EntryPath dir, String entry, Consumer<EntryPath> created) throws IOException {
        OwnedFd current = root.dup();
        EntryPath walked = EntryPath.ROOT;
        try {
            for (byte[] component : dir.components()) {
                walked = walked.child(component);
                OwnedFd next;
                try {
                    next = Open.openat2(current.get(), component, PATH_DIRECTORY, 0, RESOLVE);
                } catch (LinuxException e) {
                    if (e.errno() != Errno.ENOENT) {
                        throw lookupError(e, walked, entry);
                    }
                    DirectoryEntries.mkdirat(current.get(), component, IMPLICIT_DIRECTORY_MODE);
                    created.accept(walked);
                    next = Open.openat2(current.get(), component, PATH_DIRECTORY, 0, RESOLVE);
                }
                current.close();
                current = next;
            }
            return current;
        } catch (IOException | RuntimeException e) {
            current.close();
            throw e;
        }
    }

    /** lstat of {@code name} in {@code dirFd}, or {@code null} when nothing is there. */
    static Stat lstat(int dirFd, byte[] name) throws LinuxException {
        return FileIo.lstatAt(dirFd, name);
    }

    /**
     * Removes {@code path} (the entry {@code name} in {@code dirFd}) whatever it is; a directory goes with everything
     * beneath it. The cached parent survives unless it was the removed path or beneath it.
     */
    void remove(int dirFd, EntryPath path, Stat stat) throws LinuxException {
        removeRecursively(dirFd, path.name(), stat);
        if (cachedParent != null) {
            String removed = path.key();
            String cached = cachedParent.key();
            if (cached.equals(removed) || cached.startsWith(removed + "/")) {
                invalidate();
            }
        }
    }

    private static void removeRecursively(int dirFd, byte[] name, Stat stat) throws LinuxException {
        if (stat.isDirectory()) {
            try (OwnedFd dir = Open.openat2(dirFd, name, PATH_DIRECTORY | Open.O_NOFOLLOW, 0, RESOLVE)) {
                for (byte[] child : ReadDir.names(dir.get())) {
                    Stat s = lstat(dir.get(), child);
                    if (s != null) {
                        removeRecursively(dir.get(), child, s);
                    }
                }
            }
            DirectoryEntries.unlinkat(dirFd, name, DirectoryEntries.AT_REMOVEDIR);
        } else {
            DirectoryEntries.unlinkat(dirFd, name, 0);
        }
    }

    /** The names in a directory of the tree. */
    static List<byte[]> list(int dirFd) throws LinuxException {
        return ReadDir.names(dirFd);
    }

    /** Opens a directory of the tree for reading its metadata or changing it (fchown, fchmod, xattrs). */
    OwnedFd openDirectory(int parentFd, byte[] name) throws LinuxException {
        return Open.openat2(parentFd, name, Open.O_RDONLY | Open.O_DIRECTORY | Open.O_NOFOLLOW | Open.O_CLOEXEC, 0,
                RESOLVE);
    }

    /** Forgets the cached parent descriptor; called whenever something is removed from the tree. */
    void invalidate() {
        if (cachedParentFd != null) {
            cachedParentFd.close();
            cachedParentFd = null;
            cachedParent = null;
        }
    }

    /** The error for a lookup the kernel refused, in the user's words. */
    static ApplyException lookupError(LinuxException e, EntryPath at, String entry) {
        return switch (e.errno()) {
            case Errno.ELOOP -> new ApplyException(Reason.UNSAFE_PATH, "entry '" + entry + "': '" + at
                    + "' is a symlink (or lies beneath one); writing through a symlink is refused", e);
            case Errno.EXDEV -> new ApplyException(Reason.UNSAFE_PATH, "entry '" + entry + "': '" + at
                    + "' resolves outside the destination", e);
            case Errno.ENOTDIR -> new ApplyException(Reason.IO, "entry '" + entry + "': '" + at
                    + "' (or a directory above it) is not a directory", e);
            default -> new ApplyException(Reason.IO, "entry '" + entry + "': cannot open '" + at + "': "
                    + Errno.name(e.errno()), e);
        };
    }

    void close() {
        invalidate();
    }
}
