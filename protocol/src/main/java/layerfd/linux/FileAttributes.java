package layerfd.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Ownership, permission bits, timestamps and extended attributes: fchown/fchownat, fchmod/fchmodat,
 * futimens/utimensat, fsetxattr/lsetxattr. The *at forms with {@link #AT_SYMLINK_NOFOLLOW} act on a symlink itself.
 */
public final class FileAttributes {
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;

    private static final MethodHandle FCHOWN = Libc.function("fchown",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), -1);
    private static final MethodHandle FCHOWNAT = Libc.function("fchownat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT), -1);
    private static final MethodHandle FCHMOD = Libc.function("fchmod",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), -1);
    private static final MethodHandle FCHMODAT = Libc.function("fchmodat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), -1);
    // int utimensat(int dirfd, const char *path, const struct timespec times[2], int flags)
    private static final MethodHandle UTIMENSAT = Libc.function("utimensat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT), -1);
    private static final MethodHandle FUTIMENS = Libc.function("futimens",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), -1);
    // int fsetxattr(int fd, const char *name, const void *value, size_t size, int flags)
    private static final MethodHandle FSETXATTR = Libc.function("fsetxattr",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT), -1);
    private static final MethodHandle LSETXATTR = Libc.function("lsetxattr",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT), -1);

    /** struct timespec[2] = {atime, mtime}, each {long tv_sec; long tv_nsec;}. */
    private static final long TIMESPEC_PAIR_BYTES = 32;
    private static final long UTIME_OMIT = (1L << 30) - 2;

    private FileAttributes() {}

    public static void fchown(int fd, long uid, long gid) throws LinuxException {
        CheckedCall.run("fchown", "fd " + fd, (arena, state) ->
                (int) FCHOWN.invokeExact(state, fd, (int) uid, (int) gid));
    }

    /** fchownat(2) with AT_SYMLINK_NOFOLLOW: a symlink gets the owner itself. */
    public static void lchownat(int dirFd, byte[] name, long uid, long gid) throws LinuxException {
        CheckedCall.run("fchownat", Open.printable(name), (arena, state) -> (int) FCHOWNAT.invokeExact(state, dirFd,
                CheckedCall.cString(arena, name), (int) uid, (int) gid, AT_SYMLINK_NOFOLLOW));
    }

    /** fchmod(2): all twelve bits, setuid/setgid/sticky included, unaffected by the umask. */
    public static void fchmod(int fd, int mode) throws LinuxException {
        CheckedCall.run("fchmod", "fd " + fd, (arena, state) -> (int) FCHMOD.invokeExact(state, fd, mode));
    }

    /** fchmodat(2) following nothing but the single name given; for nodes that cannot be opened (devices). */
    public static void fchmodat(int dirFd, byte[] name, int mode) throws LinuxException {
        CheckedCall.run("fchmodat", Open.printable(name), (arena, state) -> (int) FCHMODAT.invokeExact(state, dirFd,
                CheckedCall.cString(arena, name), mode, 0));
    }

    /** futimens(2): mtime of an open file; atime is left alone (UTIME_OMIT). */
    public static void setMtime(int fd, long seconds, long nanos) throws LinuxException {
        CheckedCall.run("futimens", "fd " + fd, (arena, state) -> (int) FUTIMENS.invokeExact(state, fd,
                mtimeOnly(arena, seconds, nanos)));
    }

    /** utimensat(2) with AT_SYMLINK_NOFOLLOW: mtime of a symlink or node itself, atime left alone. */
    public static void setMtimeNoFollow(int dirFd, byte[] name, long seconds, long nanos) throws LinuxException {
        CheckedCall.run("utimensat", Open.printable(name), (arena, state) -> (int) UTIMENSAT.invokeExact(state, dirFd,
                CheckedCall.cString(arena, name), mtimeOnly(arena, seconds, nanos), AT_SYMLINK_NOFOLLOW));
    }

    /** fsetxattr(2), creating or replacing {@code name}. */
    public static void fsetxattr(int fd, String name, byte[] value) throws LinuxException {
        CheckedCall.run("fsetxattr", name + " on fd " + fd, (arena, state) -> (int) FSETXATTR.invokeExact(state, fd,
                arena.allocateFrom(name), bytes(arena, value), (long) value.length, 0));
    }

    /** lsetxattr(2): on the final component itself, never a symlink's target. */
    public static void lsetxattr(byte[] path, String name, byte[] value) throws LinuxException {
        CheckedCall.run("lsetxattr", name + " on " + Open.printable(path), (arena, state) ->
                (int) LSETXATTR.invokeExact(state, CheckedCall.cString(arena, path), arena.allocateFrom(name),
                        bytes(arena, value), (long) value.length, 0));
    }

    private static MemorySegment mtimeOnly(Arena arena, long seconds, long nanos) {
        MemorySegment times = arena.allocate(TIMESPEC_PAIR_BYTES, 8);
        times.set(JAVA_LONG, 0, 0L);
        times.set(JAVA_LONG, 8, UTIME_OMIT);
        times.set(JAVA_LONG, 16, seconds);
        times.set(JAVA_LONG, 24, nanos);
        return times;
    }

    private static MemorySegment bytes(Arena arena, byte[] value) {
        MemorySegment s = arena.allocate(Math.max(1, value.length));
        MemorySegment.copy(value, 0, s, JAVA_BYTE, 0, value.length);
        return s;
    }
}
