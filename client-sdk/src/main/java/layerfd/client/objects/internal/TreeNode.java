package layerfd.client.objects.internal;

import java.util.List;
import layerfd.client.apply.internal.EntryType;
import layerfd.client.apply.internal.TarEntry;
import layerfd.client.apply.internal.Xattr;

/** One path of the merged image tree: a directory, or a name for an {@link Inode} (several names: hardlinks). */
sealed interface TreeNode {

    /** Metadata as the tar entry gives it; the mode holds the twelve permission bits only. */
    record Metadata(int mode, long uid, long gid, long mtimeSeconds, long mtimeNanos, List<Xattr> xattrs) {
        /** Parent directories no entry lists, and a root no layer lists: 0755 root:root, as containerd makes them. */
        static final Metadata IMPLICIT_DIRECTORY = new Metadata(0755, 0, 0, 0, 0, List.of());

        static Metadata of(TarEntry e) {
            return new Metadata(e.mode(), e.uid(), e.gid(), e.mtimeSeconds(), e.mtimeNanos(), e.xattrs());
        }
    }

    record Directory(Metadata metadata) implements TreeNode {
    }

    record Name(Inode inode) implements TreeNode {
    }

    /**
     * A non-directory file. Identity matters: hardlinks are names sharing one inode, as linkat makes them in an
     * extracted tree, so a link keeps its content when a later layer replaces the name it was made from.
     *
     * @param digest the object holding a regular file's content, or {@code null} when it is inline
     * @param inline a regular file's content when it is at most the inline limit, else {@code null}
     * @param linkTarget a symlink's target as stored, else empty
     */
    final class Inode {
        static final int SYMLINK_MODE = 0777;
        final EntryType type;
        final Metadata metadata;
        final long size;
        final String digest;
        final byte[] inline;
        final byte[] linkTarget;
        final long devMajor;
        final long devMinor;

        Inode(TarEntry e, String digest, byte[] inline) {
            this.type = e.type();
            Metadata m = Metadata.of(e);
            // A symlink's mode is always 0777 on Linux (symlink(7)), whatever the tar header says.
            this.metadata = e.type() == EntryType.SYMLINK
                    ? new Metadata(SYMLINK_MODE, m.uid(), m.gid(), m.mtimeSeconds(), m.mtimeNanos(), m.xattrs()) : m;
            this.size = e.type() == EntryType.REGULAR ? e.size() : 0;
            this.digest = digest;
            this.inline = inline;
            this.linkTarget = e.type() == EntryType.SYMLINK ? e.linkTarget() : new byte[0];
            this.devMajor = e.devMajor();
            this.devMinor = e.devMinor();
        }
    }
}
