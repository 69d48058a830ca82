package layerfd.client.apply.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import layerfd.client.apply.ApplyException;
import layerfd.client.apply.ApplyException.Reason;
import layerfd.linux.Errno;
import layerfd.linux.LinuxException;
import layerfd.linux.Open;
import layerfd.linux.OwnedFd;
import layerfd.linux.Stat;

/**
 * OCI image-spec layer.md "Whiteouts": {@code .wh.NAME} removes NAME, {@code .wh..wh..opq} removes every child of its
 * directory; both apply only to what lower layers put there ("files that are present in the same layer as a
 * whiteout file can only be hidden by whiteout files in subsequent layers"), so paths this layer wrote are spared,
 * whatever order the entries come in. The whiteout entries themselves never appear in the tree.
 */
final class Whiteouts {
    private Whiteouts() {}

    static void apply(EntryPath path, String base, DestinationTree tree, Set<String> written,
                      Set<String> reservedRootNames, String entry) throws IOException {
        EntryPath dir = path.parent();
        if (base.equals(LayerApplyEngine.OPAQUE_MARKER)) {
            Integer dirFd = tree.directory(dir, entry, null);
            if (dirFd != null) {
                clear(tree, dirFd, dir, written, reservedRootNames, entry);
            }
            return;
        }
        byte[] name = Arrays.copyOfRange(path.name(), LayerApplyEngine.WHITEOUT_PREFIX.length(), path.name().length);
        String nameText = new String(name, StandardCharsets.ISO_8859_1);
        if (name.length == 0 || nameText.equals(".") || nameText.equals("..")) {
            throw new ApplyException(Reason.UNSAFE_PATH, "entry '" + entry + "': a whiteout must name an entry of "
                    + "its own directory");
        }
        EntryPath target = dir.child(name);
        if (written.contains(target.key()) || (dir.isRoot() && reservedRootNames.contains(nameText))) {
            return;
        }
        Integer dirFd = tree.directory(dir, entry, null);
        if (dirFd == null) {
            return; // the directory is not there: nothing to hide
        }
        Stat stat = DestinationTree.lstat(dirFd, name);
        if (stat != null) {
            remove(tree, dirFd, target, stat, entry);
        }
    }

    /** Removes everything beneath {@code dir} that this layer did not write, descending into what it did write. */
    private static void clear(DestinationTree tree, int dirFd, EntryPath dir, Set<String> written,
                              Set<String> reservedRootNames, String entry) throws IOException {
        for (byte[] name : DestinationTree.list(dirFd)) {
            EntryPath child = dir.child(name);
            if (dir.isRoot() && reservedRootNames.contains(new String(name, StandardCharsets.ISO_8859_1))) {
                continue;
            }
            Stat stat = DestinationTree.lstat(dirFd, name);
            if (stat == null) {
                continue;
            }
            if (!written.contains(child.key())) {
                remove(tree, dirFd, child, stat, entry);
            } else if (stat.isDirectory()) {
                try (OwnedFd childFd = Open.openat2(dirFd, name,
                        Open.O_PATH | Open.O_DIRECTORY | Open.O_NOFOLLOW | Open.O_CLOEXEC, 0,
                        DestinationTree.RESOLVE)) {
                    clear(tree, childFd.get(), child, written, reservedRootNames, entry);
                }
            }
        }
    }

    private static void remove(DestinationTree tree, int dirFd, EntryPath target, Stat stat, String entry)
            throws ApplyException {
        try {
            tree.remove(dirFd, target, stat);
        } catch (LinuxException x) {
            throw new ApplyException(Reason.IO, "entry '" + entry + "': cannot remove '" + target + "': "
                    + Errno.name(x.errno()), x);
        }
    }
}
