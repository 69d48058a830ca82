package layerfd.client.apply.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import layerfd.client.apply.ApplyException;
import layerfd.client.apply.ApplyException.Reason;
import layerfd.client.apply.ApplyOptions;
import layerfd.client.apply.ApplyStatistics;
import layerfd.client.apply.LayerInput;
import layerfd.client.apply.Piece.ExternalFile;
import layerfd.linux.DirectoryEntries;
import layerfd.linux.Errno;
import layerfd.linux.LinuxException;
import layerfd.linux.Open;
import layerfd.linux.OwnedFd;
import layerfd.linux.Stat;

/**
 * Applies one layer's tar onto a destination tree the way a container runtime sees an image whose layers are
 * applied base first (OCI image-spec layer.md, "Applying Changesets" and "Whiteouts"): entries are created or
 * replace what lower layers left, {@code .wh.NAME} removes NAME of lower layers, {@code .wh..wh..opq} empties its
 * directory of everything lower layers put there. Directory modes and mtimes are set after the layer's last entry,
 * so writing children into them cannot change them again. One engine applies one layer: what it remembers (the
 * paths the layer wrote, the directories waiting for their mode) belongs to that layer.
 */
public final class LayerApplyEngine {
    private static final System.Logger LOG = System.getLogger(LayerApplyEngine.class.getName());
    public static final String WHITEOUT_PREFIX = ".wh.";
    public static final String OPAQUE_MARKER = ".wh..wh..opq";
    /** Mode a directory is created with until its own mode is set at the end of the layer. */
    private static final int DIRECTORY_CREATE_MODE = 0700;
    private static final int FILE_CREATE_MODE = 0600;
    private static final int NEW_FILE = Open.O_WRONLY | Open.O_CREAT | Open.O_EXCL | Open.O_NOFOLLOW
            | Open.O_CLOEXEC;

    private final ApplyOptions options;
    private final Set<String> reservedRootNames;
    private final Counters counters = new Counters();
    private final MetadataWriter metadata;
    /** Paths this layer created (entries and the parents made for them): whiteouts spare them (OCI layer.md). */
    private final Set<String> written = new HashSet<>();
    /** Directory entries whose mode and mtime wait for the end of the layer, last occurrence last. */
    private final Map<String, Deferred> deferred = new LinkedHashMap<>();

    private record Deferred(EntryPath path, TarEntry entry) {
    }

    /** {@code reservedRootNames} are names in the root that entries may not touch (the extractor's marker). */
    public LayerApplyEngine(ApplyOptions options, Set<String> reservedRootNames) {
        this.options = options;
        this.reservedRootNames = Set.copyOf(reservedRootNames);
        this.metadata = new MetadataWriter(options, counters);
    }

    /**
     * Applies {@code input} onto the directory {@code root} (borrowed) and closes the input. {@code progress} hears
     * the tar offset after every entry.
     */
    public ApplyStatistics apply(LayerInput input, OwnedFd root, LongConsumer progress) throws IOException {
        DestinationTree tree = new DestinationTree(root);
        try (TarReader reader = new TarReader(input);
             ContentWriter content = new ContentWriter(options.reflinkPolicy(), counters)) {
            for (TarEntry e; (e = reader.next()) != null; ) {
                applyEntry(e, reader, tree, content);
                progress.accept(reader.offset());
            }
            finishDirectories(tree);
        } finally {
            tree.close();
        }
        return counters.snapshot();
    }

    private void applyEntry(TarEntry e, TarReader reader, DestinationTree tree, ContentWriter content)
            throws IOException {
        String entry = e.printablePath();
        EntryPath path = EntryPath.clean(e.path(), entry, "the path");
        if (!path.isRoot()) {
            String base = new String(path.name(), StandardCharsets.ISO_8859_1);
            if (base.startsWith(WHITEOUT_PREFIX)) {
                Whiteouts.apply(path, base, tree, written, reservedRootNames, entry);
                counters.whiteouts++;
                return;
            }
            if (path.parent().isRoot() && reservedRootNames.contains(base)) {
                throw new ApplyException(Reason.UNSAFE_PATH, "entry '" + entry + "': the name '" + base
                        + "' is reserved by the extractor in the destination's root");
            }
        }
        written.add(path.key());
        if (path.isRoot()) {
            if (e.type() != EntryType.DIRECTORY) {
                throw new ApplyException(Reason.UNSAFE_PATH, "entry '" + entry + "' would replace the destination "
                        + "directory itself with a " + e.type().name().toLowerCase());
            }
            metadata.owner(tree.rootFd(), e, entry);
            metadata.xattrs(tree.rootFd(), e, entry);
            defer(path, e);
            counters.directories++;
            return;
        }
        int parent = tree.directory(path.parent(), entry, created -> written.add(created.key()));
        switch (e.type()) {
            case DIRECTORY -> directory(e, entry, path, parent, tree);
            case REGULAR -> regularFile(e, entry, parent, path, tree, reader, content);
            case SYMLINK -> symlink(e, entry, parent, path, tree);
            case HARDLINK -> hardlink(e, entry, path, tree);
            case FIFO, CHAR_DEVICE, BLOCK_DEVICE -> specialFile(e, entry, parent, path, tree);
        }
    }

    private void directory(TarEntry e, String entry, EntryPath path, int parent, DestinationTree tree)
            throws IOException {
        byte[] name = path.name();
        Stat existing = DestinationTree.lstat(parent, name);
        if (existing == null || !existing.isDirectory()) {
            // tar and the runtimes merge a directory into an existing one and replace anything else
            replace(tree, parent, path, existing, entry);
            create(entry, () -> DirectoryEntries.mkdirat(parent, name, DIRECTORY_CREATE_MODE));
        }
        try (OwnedFd dir = tree.openDirectory(parent, name)) {
            metadata.owner(dir.get(), e, entry);
            metadata.xattrs(dir.get(), e, entry);
        }
        defer(path, e);
        counters.directories++;
    }

    private void regularFile(TarEntry e, String entry, int parent, EntryPath path, DestinationTree tree,
                             TarReader reader, ContentWriter content) throws IOException {
        replace(tree, parent, path, DestinationTree.lstat(parent, path.name()), entry);
        try (OwnedFd file = open(entry, parent, path.name())) {
            ExternalFile external = reader.takeExternalData();
            if (external != null) {
                try (external) {
                    content.fromExternal(external, file.get(), e.size(), entry);
                }
            } else {
                content.fromInline(reader, file.get());
            }
            metadata.owner(file.get(), e, entry);
            metadata.mode(file.get(), e, entry);
            metadata.xattrs(file.get(), e, entry);
            metadata.mtime(file.get(), e, entry);
        }
        counters.files++;
    }

    private static OwnedFd open(String entry, int parent, byte[] name) throws ApplyException {
        try {
            return Open.openat2(parent, name, NEW_FILE, FILE_CREATE_MODE, DestinationTree.RESOLVE);
        } catch (LinuxException x) {
            throw new ApplyException(Reason.IO, "entry '" + entry + "': cannot create the file: "
                    + Errno.name(x.errno()), x);
        }
    }

    private void symlink(TarEntry e, String entry, int parent, EntryPath path, DestinationTree tree)
            throws IOException {
        byte[] name = path.name();
        replace(tree, parent, path, DestinationTree.lstat(parent, name), entry);
        create(entry, () -> DirectoryEntries.symlinkat(e.linkTarget(), parent, name));
        metadata.byName(parent, name, e, entry, false);
        counters.links++;
    }

    private void hardlink(TarEntry e, String entry, EntryPath path, DestinationTree tree) throws IOException {
        EntryPath target = EntryPath.clean(e.linkTarget(), entry, "the hardlink target");
        if (target.isRoot()) {
            throw new ApplyException(Reason.UNSAFE_PATH, "entry '" + entry + "': a hardlink to the destination "
                    + "directory itself is refused");
        }
        // The target's directory is opened without creating anything: a hardlink names an existing file.
        OwnedFd targetDir = openExisting(tree, target.parent(), entry);
        try (targetDir) {
            Stat targetStat = DestinationTree.lstat(targetDir.get(), target.name());
            if (targetStat == null) {
                throw new ApplyException(Reason.IO, "entry '" + entry + "': the hardlink target '" + target
                        + "' does not exist in the tree");
            }
            int parent = tree.directory(path.parent(), entry, created -> written.add(created.key()));
            Stat existing = DestinationTree.lstat(parent, path.name());
            if (existing != null && existing.inode() == targetStat.inode()
                    && existing.device() == targetStat.device()) {
                return; // already the same file (GNU tar skips such a link too)
            }
            replace(tree, parent, path, existing, entry);
            create(entry, () -> DirectoryEntries.linkat(targetDir.get(), target.name(), parent, path.name()));
        }
        counters.links++;
    }

    /** An existing directory of the tree as an owned descriptor (the tree's cache may be invalidated meanwhile). */
    private static OwnedFd openExisting(DestinationTree tree, EntryPath dir, String entry) throws IOException {
        try {
            return Open.openat2(tree.rootFd(), dir.bytes(), Open.O_PATH | Open.O_DIRECTORY | Open.O_CLOEXEC, 0,
                    DestinationTree.RESOLVE);
        } catch (LinuxException x) {
            if (x.errno() == Errno.ENOENT) {
                throw new ApplyException(Reason.IO, "entry '" + entry + "': the hardlink target's directory '"
                        + dir + "' does not exist in the tree", x);
            }
            throw DestinationTree.lookupError(x, dir, entry);
        }
    }

    private void specialFile(TarEntry e, String entry, int parent, EntryPath path, DestinationTree tree)
            throws IOException {
        byte[] name = path.name();
        replace(tree, parent, path, DestinationTree.lstat(parent, name), entry);
        int type = switch (e.type()) {
            case CHAR_DEVICE -> Stat.S_IFCHR;
            case BLOCK_DEVICE -> Stat.S_IFBLK;
            default -> Stat.S_IFIFO;
        };
        try {
            DirectoryEntries.mknodat(parent, name, type | FILE_CREATE_MODE,
                    DirectoryEntries.makedev(e.devMajor(), e.devMinor()));
        } catch (LinuxException x) {
            boolean privilege = x.errno() == Errno.EPERM || x.errno() == Errno.EACCES;
            if (!privilege || e.type() == EntryType.FIFO) {
                throw new ApplyException(Reason.IO, "entry '" + entry + "': cannot create the "
                        + e.type().name().toLowerCase().replace('_', ' ') + ": " + Errno.name(x.errno()), x);
            }
            if (options.strictSpecialFiles()) {
                throw new ApplyException(Reason.NOT_PERMITTED, "entry '" + entry + "': creating device nodes "
                        + "needs CAP_MKNOD (root): " + Errno.name(x.errno()), x);
            }
            counters.skippedDeviceNodes++;
            LOG.log(Level.WARNING, "entry ''{0}'': device node skipped ({1}; creating one needs root)", entry,
                    Errno.name(x.errno()));
            return;
        }
        metadata.byName(parent, name, e, entry, true);
        counters.specialFiles++;
    }

    /** Removes what is at {@code name} (if anything) so that a new entry of another kind can take its place. */
    private static void replace(DestinationTree tree, int parent, EntryPath path, Stat existing, String entry)
            throws IOException {
        if (existing != null) {
            try {
                tree.remove(parent, path, existing);
            } catch (LinuxException x) {
                throw new ApplyException(Reason.IO, "entry '" + entry + "': cannot remove the existing '" + path
                        + "' to replace it: " + Errno.name(x.errno()), x);
            }
        }
    }

    @FunctionalInterface
    private interface Creation {
        void run() throws LinuxException;
    }

    private static void create(String entry, Creation creation) throws ApplyException {
        try {
            creation.run();
        } catch (LinuxException x) {
            throw new ApplyException(Reason.IO, "entry '" + entry + "': " + x.getMessage(), x);
        }
    }

    private void defer(EntryPath path, TarEntry e) {
        deferred.remove(path.key());
        deferred.put(path.key(), new Deferred(path, e));
    }

    /** Mode and mtime of this layer's directories, deepest-last entries first; a directory since removed is skipped. */
    private void finishDirectories(DestinationTree tree) throws IOException {
        List<Deferred> all = new ArrayList<>(deferred.values());
        for (Deferred d : all.reversed()) {
            String entry = d.entry().printablePath();
            OwnedFd dir;
            try {
                dir = d.path().isRoot() ? root(tree)
                        : Open.openat2(tree.rootFd(), d.path().bytes(),
                                Open.O_RDONLY | Open.O_DIRECTORY | Open.O_NOFOLLOW | Open.O_CLOEXEC, 0,
                                DestinationTree.RESOLVE);
            } catch (LinuxException x) {
                if (x.errno() == Errno.ENOENT || x.errno() == Errno.ENOTDIR || x.errno() == Errno.ELOOP) {
                    continue; // a later entry of the layer removed or replaced it
                }
                throw DestinationTree.lookupError(x, d.path(), entry);
            }
            try (dir) {
                metadata.mode(dir.get(), d.entry(), entry);
                metadata.mtime(dir.get(), d.entry(), entry);
            }
        }
    }

    private static OwnedFd root(DestinationTree tree) throws LinuxException {
        return Open.openat2(tree.rootFd(), new byte[] {'.'}, Open.O_RDONLY | Open.O_DIRECTORY | Open.O_CLOEXEC, 0, 0);
    }
}
