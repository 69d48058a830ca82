package layerfd.server.store.internal;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import layerfd.linux.LinuxException;
import layerfd.linux.Open;
import layerfd.linux.OwnedFd;
import layerfd.server.store.StoreException;
import layerfd.server.store.StoreException.Kind;
import layerfd.server.tarsplit.DirectoryFileOpener;
import layerfd.server.tarsplit.LayerFileOpener;

/**
 * Opens a layer's files by tar-split name beneath its content directories, nearest first: for overlay the layer's
 * own {@code diff} then each lower diff, as Go's overlay file getter does (containers-storage.md §3.3: template
 * layers can be empty); for vfs the single snapshot directory. Each directory is a {@link DirectoryFileOpener}
 * (openat2 with RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS, regular files only); a name missing from one directory is
 * looked up in the next. The directory descriptors are opened while the store is locked, with O_NOFOLLOW so a
 * directory swapped for a symlink is refused, and stay valid after the lock is released.
 */
public final class DiffFileOpener implements LayerFileOpener, AutoCloseable {
    private final String layerId;
    private final List<Path> roots;
    private final List<DirectoryFileOpener> openers;

    private DiffFileOpener(String layerId, List<Path> roots, List<DirectoryFileOpener> openers) {
        this.layerId = layerId;
        this.roots = roots;
        this.openers = openers;
    }

    /** Opens a directory descriptor for each root, nearest first. */
    public static DiffFileOpener open(String layerId, List<Path> roots) throws StoreException {
        List<DirectoryFileOpener> openers = new ArrayList<>(roots.size());
        try {
            for (Path root : roots) {
                OwnedFd dir = Open.open(root.toString(),
                        Open.O_PATH | Open.O_DIRECTORY | Open.O_NOFOLLOW | Open.O_CLOEXEC, 0);
                openers.add(new DirectoryFileOpener(dir, root.toString()));
            }
        } catch (LinuxException e) {
            openers.forEach(DirectoryFileOpener::close);
            throw new StoreException(Kind.IO_OR_INTEGRITY, "layer " + layerId + ": cannot open content directory: "
                    + e.getMessage(), e);
        }
        return new DiffFileOpener(layerId, List.copyOf(roots), List.copyOf(openers));
    }

    /** The content directories searched, nearest first. */
    public List<Path> roots() {
        return roots;
    }

    /**
     * Opens {@code name} (tar-split name bytes) read-only from the nearest directory that has it. A name in none of
     * them is a {@link NoSuchFileException} naming the layer; refusals ({@code ..}, symlinks, non-regular files)
     * come from {@link DirectoryFileOpener} unchanged.
     */
    @Override
    public OwnedFd open(byte[] name) throws IOException {
        for (DirectoryFileOpener opener : openers) {
            try {
                return opener.open(name);
            } catch (NoSuchFileException missing) {
                // not in this layer's directory: Go's getter then tries the next lower one
            }
        }
        throw new NoSuchFileException(Open.printable(name), null, "not in any of the " + openers.size()
                + " content directories of layer " + layerId + " (nearest: " + roots.getFirst() + ")");
    }

    @Override
    public void close() {
        openers.forEach(DirectoryFileOpener::close);
    }
}
