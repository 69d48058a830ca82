package layerfd.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/**
 * The *at(2) calls that create and remove directory entries relative to a directory descriptor: mkdirat, mknodat,
 * symlinkat, linkat, unlinkat. Names are byte strings (a layer may hold names that are not UTF-8); a caller that
 * passes a single component and a trusted directory descriptor never resolves anything outside that directory.
 */
public final class DirectoryEntries {
    /** unlinkat flag: remove a directory (rmdir) instead of a file. */
    public static final int AT_REMOVEDIR = 0x200;

    private static final MethodHandle MKDIRAT = Libc.function("mkdirat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), -1);
    private static final MethodHandle MKNODAT = Libc.function("mknodat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG), -1);
    private static final MethodHandle SYMLINKAT = Libc.function("symlinkat",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), -1);
    private static final MethodHandle LINKAT = Libc.function("linkat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT), -1);
    private static final MethodHandle UNLINKAT = Libc.function("unlinkat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), -1);

    private DirectoryEntries() {}

    /** mkdirat(2); the mode is filtered by the umask, so callers that need exact bits chmod afterwards. */
    public static void mkdirat(int dirFd, byte[] name, int mode) throws LinuxException {
        CheckedCall.run("mkdirat", Open.printable(name), (arena, state) ->
                (int) MKDIRAT.invokeExact(state, dirFd, CheckedCall.cString(arena, name), mode));
    }

    /**
     * mknodat(2) of a fifo or device node. {@code mode} carries the file type (S_IFIFO, S_IFCHR, S_IFBLK) and the
     * permission bits; {@code device} is a dev_t built by {@link #makedev}.
     */
    public static void mknodat(int dirFd, byte[] name, int mode, long device) throws LinuxException {
        CheckedCall.run("mknodat", Open.printable(name), (arena, state) ->
                (int) MKNODAT.invokeExact(state, dirFd, CheckedCall.cString(arena, name), mode, device));
    }

    /** symlinkat(2): a symlink {@code name} in {@code dirFd} whose content is {@code target}, never resolved. */
    public static void symlinkat(byte[] target, int dirFd, byte[] name) throws LinuxException {
        CheckedCall.run("symlinkat", Open.printable(name), (arena, state) -> (int) SYMLINKAT.invokeExact(state,
                CheckedCall.cString(arena, target), dirFd, CheckedCall.cString(arena, name)));
    }

    /** linkat(2) with flags 0: a symlink as the old name is linked itself, not followed (as tar does). */
    public static void linkat(int oldDirFd, byte[] oldName, int newDirFd, byte[] newName) throws LinuxException {
        CheckedCall.run("linkat", Open.printable(newName), (arena, state) -> (int) LINKAT.invokeExact(state,
                oldDirFd, CheckedCall.cString(arena, oldName), newDirFd, CheckedCall.cString(arena, newName), 0));
    }

    /** unlinkat(2); {@code flags} is 0 for files or {@link #AT_REMOVEDIR} for empty directories. */
    public static void unlinkat(int dirFd, byte[] name, int flags) throws LinuxException {
        CheckedCall.run("unlinkat", Open.printable(name), (arena, state) ->
                (int) UNLINKAT.invokeExact(state, dirFd, CheckedCall.cString(arena, name), flags));
    }

    /** glibc's gnu_dev_makedev: the 64-bit dev_t of a major and minor number. */
    public static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }
}
