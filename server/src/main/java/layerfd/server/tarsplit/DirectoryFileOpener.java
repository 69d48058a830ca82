package layerfd.server.tarsplit;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import layerfd.linux.Errno;
import layerfd.linux.FileIo;
import layerfd.linux.LinuxException;
import layerfd.linux.Open;
import layerfd.linux.OwnedFd;
import layerfd.linux.Stat;

/**
 * Opens tar-split names beneath one directory (an overlay {@code diff/} or a vfs {@code dir/<id>/}). The directory
 * is opened once ({@code O_PATH}); every file is opened relative to it with openat2 and
 * {@code RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS}, so the kernel refuses a name that passes
 * through a symlink in any component or leaves the directory, even if the tree changes while it is read
 * (containers-storage brief §7, "Path safety"). {@code O_NONBLOCK} keeps a FIFO planted where a file should be from
 * blocking the open; it changes nothing for regular files, the only kind returned.
 */
public final class DirectoryFileOpener implements LayerFileOpener, AutoCloseable {
    private static final int FILE_FLAGS = Open.O_RDONLY | Open.O_CLOEXEC | Open.O_NOCTTY | Open.O_NONBLOCK;
    private static final long RESOLVE = Open.RESOLVE_BENEATH | Open.RESOLVE_NO_SYMLINKS | Open.RESOLVE_NO_MAGICLINKS;

    private final OwnedFd directory;
    private final String description;

    /** Opens {@code root}, which must be a directory; the opener owns that descriptor until {@link #close()}. */
    public DirectoryFileOpener(Path root) throws IOException {
        this(Open.open(root.toString(), Open.O_PATH | Open.O_DIRECTORY | Open.O_CLOEXEC, 0), root.toString());
    }

    /**
     * Takes ownership of an open directory descriptor (e.g. one the store opened beneath its graphroot);
     * {@code description} names it in error messages.
     */
    public DirectoryFileOpener(OwnedFd directory, String description) {
        this.directory = directory;
        this.description = description;
    }

    @Override
    public OwnedFd open(byte[] name) throws IOException {
        byte[] relative = LayerPath.clean(name);
        OwnedFd fd;
        try {
            fd = Open.openat2(directory.get(), relative, FILE_FLAGS, 0, RESOLVE);
        } catch (LinuxException e) {
            throw explain(name, e);
        }
        try {
            Stat stat = FileIo.stat(fd.get());
            if (!stat.isRegularFile()) {
                throw new TarSplitIntegrityException("layer file " + Open.printable(name) + " in " + description
                        + " is not a regular file (mode " + Integer.toOctalString(stat.mode()) + ")");
            }
            return fd;
        } catch (IOException | RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    private IOException explain(byte[] name, LinuxException e) {
        String printable = Open.printable(name);
        return switch (e.errno()) {
            // ENOTDIR: a component is a file here, so the name does not exist in this directory either.
            case Errno.ENOENT, Errno.ENOTDIR -> {
                NoSuchFileException missing = new NoSuchFileException(printable, null, "not found in " + description);
                missing.initCause(e);
                yield missing;
            }
            // openat2(2): RESOLVE_NO_SYMLINKS fails with ELOOP, RESOLVE_BENEATH escapes with EXDEV.
            case Errno.ELOOP, Errno.EXDEV -> new UnsafeLayerPathException("refusing tar-split name " + printable
                    + ": a component of it is a symlink or leads outside " + description, e);
            default -> e;
        };
    }

    /** Closes the directory descriptor; idempotent. Descriptors already returned stay open. */
    @Override
    public void close() {
        directory.close();
    }

    @Override
    public String toString() {
        return "DirectoryFileOpener(" + description + ")";
    }
}
