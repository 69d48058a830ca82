package layerfd.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Positional I/O and statx on raw descriptors. Received fds share their file offset with the sender (the same
 * open file description), so everything here reads and writes at explicit offsets and never moves the offset.
 */
public final class FileIo {
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int STATX_BASIC_STATS = 0x7ff;
    private static final long STATX_SIZE_BYTES = 256;

    private static final MethodHandle PREAD = Libc.function("pread64",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), -1);
    private static final MethodHandle PWRITE = Libc.function("pwrite64",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), -1);
    private static final MethodHandle STATX = Libc.function("statx",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS), -1);

    private FileIo() {}

    /** pread(2) into {@code buf}; returns the count read, 0 at end of file. Retries EINTR. */
    public static long pread(int fd, MemorySegment buf, long offset) throws LinuxException {
        return transfer(PREAD, "pread", fd, buf, offset);
    }

    /** pwrite(2) from {@code buf}; returns the count written. Retries EINTR. */
    public static long pwrite(int fd, MemorySegment buf, long offset) throws LinuxException {
        return transfer(PWRITE, "pwrite", fd, buf, offset);
    }

    /** Writes all of {@code buf} at {@code offset}. */
    public static void pwriteFully(int fd, MemorySegment buf, long offset) throws LinuxException {
        long done = 0;
        while (done < buf.byteSize()) {
            done += pwrite(fd, buf.asSlice(done), offset + done);
        }
    }

    private static long transfer(MethodHandle call, String name, int fd, MemorySegment buf, long offset)
            throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.captureState(arena);
            while (true) {
                long n = (long) call.invokeExact(state, fd, buf, buf.byteSize(), offset);
                if (n >= 0) {
                    return n;
                }
                int errno = Libc.errno(state);
                if (errno != Errno.EINTR) {
                    throw new LinuxException(name, "fd " + fd + " at " + offset, errno);
                }
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** statx(2) of an open descriptor (AT_EMPTY_PATH): the same layout on every architecture, unlike struct stat. */
    public static Stat stat(int fd) throws LinuxException {
        return statx(fd, new byte[0], AT_EMPTY_PATH, false, "fd " + fd);
    }

    /**
     * lstat of the entry {@code name} in directory {@code dirFd} (statx with AT_SYMLINK_NOFOLLOW), or {@code null}
     * when there is none. One syscall and no exception for a missing entry: an extract asks this for every file it
     * writes. {@code name} must be one path component, so nothing outside {@code dirFd} can be reached.
     */
    public static Stat lstatAt(int dirFd, byte[] name) throws LinuxException {
        if (name.length == 0 || (name.length == 1 && name[0] == '.') || (name.length == 2 && name[0] == '.'
                && name[1] == '.') || indexOf(name, (byte) '/') >= 0) {
            throw new IllegalArgumentException("not one path component: " + Open.printable(name));
        }
        return statx(dirFd, name, AT_SYMLINK_NOFOLLOW, true, "entry " + Open.printable(name) + " in fd " + dirFd);
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static Stat statx(int dirFd, byte[] path, int flags, boolean missingIsNull, String what)
            throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(STATX_SIZE_BYTES, 8);
            MemorySegment state = Libc.captureState(arena);
            int r = (int) STATX.invokeExact(state, dirFd, CheckedCall.cString(arena, path), flags,
                    STATX_BASIC_STATS, buf);
            if (r < 0) {
                int errno = Libc.errno(state);
                if (missingIsNull && errno == Errno.ENOENT) {
                    return null;
                }
                throw new LinuxException("statx", what, errno);
            }
            // struct statx: nlink@16 uid@20 gid@24 mode@28(u16) ino@32 size@40 blocks@48 mtime@112
            // rdev_major@128 rdev_minor@132 dev_major@136 dev_minor@140
            return new Stat(
                    Short.toUnsignedInt(buf.get(JAVA_SHORT, 28)),
                    Integer.toUnsignedLong(buf.get(JAVA_INT, 20)),
                    Integer.toUnsignedLong(buf.get(JAVA_INT, 24)),
                    buf.get(JAVA_LONG, 40),
                    Integer.toUnsignedLong(buf.get(JAVA_INT, 16)),
                    buf.get(JAVA_LONG, 32),
                    ((long) buf.get(JAVA_INT, 136) << 32) | Integer.toUnsignedLong(buf.get(JAVA_INT, 140)),
                    buf.get(JAVA_LONG, 112),
                    Integer.toUnsignedLong(buf.get(JAVA_INT, 120)),
                    buf.get(JAVA_LONG, 48));
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
