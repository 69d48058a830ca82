package layerfd.linux;

/**
 * What statx(2) says of an open file. {@code device} packs major and minor of the filesystem; {@code blocks} counts
 * 512-byte units actually allocated.
 */
public record Stat(int mode, long uid, long gid, long size, long nlink, long inode, long device,
                   long mtimeSeconds, long mtimeNanos, long blocks) {
    public static final int S_IFMT = 0170000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFIFO = 0010000;
    public static final int S_IFSOCK = 0140000;

    public boolean isRegularFile() {
        return (mode & S_IFMT) == S_IFREG;
    }

    public boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    /** Permission bits with setuid, setgid and sticky. */
    public int permissions() {
        return mode & 07777;
    }
}
