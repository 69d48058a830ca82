package layerfd.client.objects.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import layerfd.client.apply.ApplyException;
import layerfd.client.apply.ApplyException.Reason;
import layerfd.client.apply.internal.EntryPath;
import layerfd.client.apply.internal.LayerApplyEngine;
import layerfd.client.objects.internal.TreeNode.Directory;
import layerfd.client.objects.internal.TreeNode.Inode;
import layerfd.client.objects.internal.TreeNode.Metadata;
import layerfd.client.objects.internal.TreeNode.Name;

/**
 * The image's root filesystem as a runtime sees it, built in memory from layers applied base first, by the same
 * rules the extractor applies to a directory (OCI image-spec layer.md "Applying Changesets" and "Whiteouts"; see
 * docs/extract.md): an entry replaces what lower layers left at its path (a directory with everything beneath),
 * except that a directory over a directory merges; {@code .wh.NAME} removes NAME, {@code .wh..wh..opq} everything
 * in its directory, but only what lower layers put there; parents no entry lists are made 0755.
 *
 * <p>Keys are the path's components joined by NUL (a byte no name contains) as a Latin-1 string: sorted, every
 * subtree is one contiguous range right after its directory, and the order is byte order per component, the
 * order of a sorted directory walk.
 */
final class MergedTree {
    private static final char SEPARATOR = '\0';
    private static final String ROOT = "";

    private final NavigableMap<String, TreeNode> nodes = new TreeMap<>();
    /** Paths the current layer wrote, with the parents it created: its own whiteouts spare them (layer.md). */
    private final Set<String> written = new HashSet<>();

    MergedTree() {
        nodes.put(ROOT, new Directory(Metadata.IMPLICIT_DIRECTORY));
    }

    /** A new layer begins: what the previous one wrote is now lower-layer content. */
    void startLayer() {
        written.clear();
    }

    /** true when the entry's base name makes it a whiteout (never a tree entry itself). */
    static boolean isWhiteout(EntryPath path) {
        return !path.isRoot() && latin1(path.name()).startsWith(LayerApplyEngine.WHITEOUT_PREFIX);
    }

    /** Applies {@code .wh.NAME} or {@code .wh..wh..opq}. */
    void whiteout(EntryPath path, String entry) throws ApplyException {
        String dir = key(path.parent());
        String base = latin1(path.name());
        if (base.equals(LayerApplyEngine.OPAQUE_MARKER)) {
            if (nodes.get(dir) instanceof Directory) {
                removeUnwritten(descendants(dir));
            }
            return;
        }
        byte[] name = Arrays.copyOfRange(path.name(), LayerApplyEngine.WHITEOUT_PREFIX.length(), path.name().length);
        String nameText = latin1(name);
        if (name.length == 0 || nameText.equals(".") || nameText.equals("..")) {
            throw new ApplyException(Reason.UNSAFE_PATH, "entry '" + entry + "': a whiteout must name an entry of "
                    + "its own directory");
        }
        String target = child(dir, nameText);
        if (!written.contains(target)) {
            removeSubtree(target);
        }
    }

    /** A directory entry: merges into an existing directory (its metadata replaced), replaces anything else. */
    void directory(EntryPath path, Metadata metadata, String entry) throws ApplyException {
        String key = key(path);
        if (!path.isRoot()) {
            ensureParents(path, entry);
            if (!(nodes.get(key) instanceof Directory)) {
                removeSubtree(key);
            }
        }
        nodes.put(key, new Directory(metadata));
        written.add(key);
    }

    /** A regular file, symlink, fifo or device node: replaces what is at the path. */
    void file(EntryPath path, Inode inode, String entry) throws ApplyException {
        if (path.isRoot()) {
            throw new ApplyException(Reason.UNSAFE_PATH, "entry '" + entry + "' would replace the image's root "
                    + "directory with a " + inode.type.name().toLowerCase());
        }
        ensureParents(path, entry);
        String key = key(path);
        removeSubtree(key);
        nodes.put(key, new Name(inode));
        written.add(key);
    }

    /** A hardlink: another name for the target's inode, which must already be in the tree and not a directory. */
    void hardlink(EntryPath path, EntryPath target, String entry) throws ApplyException {
        TreeNode node = target.isRoot() ? null : nodes.get(key(target));
        if (!(node instanceof Name(Inode inode))) {
            throw new ApplyException(Reason.IO, "entry '" + entry + "': the hardlink target '" + target + "' "
                    + (node == null ? "does not exist in the tree" : "is a directory"));
        }
        if (path.isRoot()) {
            throw new ApplyException(Reason.UNSAFE_PATH, "entry '" + entry + "' would replace the image's root");
        }
        ensureParents(path, entry);
        String key = key(path);
        written.add(key);
        if (nodes.get(key) instanceof Name(Inode existing) && existing == inode) {
            return; // already that file
        }
        removeSubtree(key);
        nodes.put(key, new Name(inode));
    }

    /** The tree in document order: every path (as components) with its node, the root first. */
    Map<String, TreeNode> entries() {
        return nodes;
    }

    /** The components a key stands for. */
    static List<byte[]> components(String key) {
        if (key.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(key.split(String.valueOf(SEPARATOR), -1))
                .map(c -> c.getBytes(StandardCharsets.ISO_8859_1)).toList();
    }

    private void ensureParents(EntryPath path, String entry) throws ApplyException {
        String key = ROOT;
        List<byte[]> parts = path.components();
        for (int i = 0; i < parts.size() - 1; i++) {
            key = child(key, latin1(parts.get(i)));
            TreeNode node = nodes.get(key);
            if (node == null) {
                nodes.put(key, new Directory(Metadata.IMPLICIT_DIRECTORY));
                written.add(key);
            } else if (!(node instanceof Directory)) {
                throw new ApplyException(Reason.UNSAFE_PATH, "entry '" + entry + "': '" + printable(key)
                        + "' is not a directory, so nothing can be created beneath it");
            }
        }
    }

    private void removeSubtree(String key) {
        nodes.remove(key);
        descendants(key).clear();
    }

    /** Removes every node the current layer did not write, with its subtree (containerd's opaque rule). */
    private void removeUnwritten(NavigableMap<String, TreeNode> range) {
        for (String key : List.copyOf(range.keySet())) {
            if (nodes.containsKey(key) && !written.contains(key)) {
                removeSubtree(key);
            }
        }
    }

    private NavigableMap<String, TreeNode> descendants(String key) {
        if (key.isEmpty()) {
            return nodes.tailMap(ROOT, false);
        }
        return nodes.subMap(key + SEPARATOR, true, key + (char) (SEPARATOR + 1), false);
    }

    static String key(EntryPath path) {
        String key = ROOT;
        for (byte[] c : path.components()) {
            key = child(key, latin1(c));
        }
        return key;
    }

    private static String child(String dir, String name) {
        return dir.isEmpty() ? name : dir + SEPARATOR + name;
    }

    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static String printable(String key) {
        return layerfd.linux.Open.printable(key.replace(SEPARATOR, '/').getBytes(StandardCharsets.ISO_8859_1));
    }
}
