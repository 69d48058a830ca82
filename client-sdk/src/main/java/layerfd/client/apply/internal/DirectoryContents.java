package layerfd.client.apply.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import layerfd.linux.LinuxException;
import layerfd.linux.OwnedFd;
import layerfd.linux.Stat;

/** Listing and emptying a directory by descriptor, without following any symlink in it. */
public final class DirectoryContents {
    private DirectoryContents() {}

    /** The names in {@code dir}, as lossless strings (one char per byte). */
    public static List<String> names(OwnedFd dir) throws LinuxException {
        return DestinationTree.list(dir.get()).stream()
                .map(n -> new String(n, StandardCharsets.ISO_8859_1))
                .toList();
    }

    /** Removes everything in {@code dir} except the entry called {@code keep} (a lossless string, or null). */
    public static void removeAllBut(OwnedFd dir, String keep) throws LinuxException {
        DestinationTree tree = new DestinationTree(dir);
        try {
            for (byte[] name : DestinationTree.list(dir.get())) {
                if (new String(name, StandardCharsets.ISO_8859_1).equals(keep)) {
                    continue;
                }
                Stat stat = DestinationTree.lstat(dir.get(), name);
                if (stat != null) {
                    tree.remove(dir.get(), EntryPath.ROOT.child(name), stat);
                }
            }
        } finally {
            tree.close();
        }
    }
}
