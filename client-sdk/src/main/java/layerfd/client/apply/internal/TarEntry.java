package layerfd.client.apply.internal;

import java.util.List;

/**
 * One tar entry with every extension applied (GNU long names, PAX local and global records).
 *
 * @param path the name exactly as stored (bytes, not yet cleaned)
 * @param linkTarget symlink content or hardlink target, empty for other types
 * @param size the data region's length, for regular files
 */
public record TarEntry(EntryType type, byte[] path, byte[] linkTarget, int mode, long uid, long gid, long size,
                long mtimeSeconds, long mtimeNanos, long devMajor, long devMinor, List<Xattr> xattrs) {

    /** The stored name for messages: UTF-8 where it is, other bytes as \xNN. */
    public String printablePath() {
        return layerfd.linux.Open.printable(path);
    }
}
