package layerfd.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * FICLONE and copy_file_range(2). FICLONE shares extents or fails fast (EOPNOTSUPP on ext4, EXDEV across
 * filesystems); copy_file_range reflinks on XFS and btrfs too but silently copies on ext4, which is why both exist.
 */
public final class Reflink {
    /** _IOW(0x94, 9, int) from linux/fs.h. */
    private static final long FICLONE = 0x40049409L;

    // int ioctl(int fd, unsigned long request, ...)
    private static final MethodHandle IOCTL = Libc.function("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT), 2);
    // ssize_t copy_file_range(int in, off64_t *off_in, int out, off64_t *off_out, size_t len, unsigned flags)
    private static final MethodHandle COPY_FILE_RANGE = Libc.function("copy_file_range",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), -1);

    private Reflink() {}

    /** Makes {@code dstFd} share all of {@code srcFd}'s extents. Returns 0, or the errno that refused it. */
    public static int ficlone(int dstFd, int srcFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.captureState(arena);
            int r = (int) IOCTL.invokeExact(state, dstFd, FICLONE, srcFd);
            return r == 0 ? 0 : Libc.errno(state);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * copy_file_range(2) of up to {@code length} bytes at explicit offsets (so neither file offset moves: received
     * fds share theirs with the sender). Returns the count copied, 0 at the source's end. Retries EINTR.
     */
    public static long copyFileRange(int inFd, long inOffset, int outFd, long outOffset, long length)
            throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment offIn = arena.allocate(JAVA_LONG);
            MemorySegment offOut = arena.allocate(JAVA_LONG);
            MemorySegment state = Libc.captureState(arena);
            while (true) {
                offIn.set(JAVA_LONG, 0, inOffset);
                offOut.set(JAVA_LONG, 0, outOffset);
                long n = (long) COPY_FILE_RANGE.invokeExact(state, inFd, offIn, outFd, offOut, length, 0);
                if (n >= 0) {
                    return n;
                }
                int errno = Libc.errno(state);
                if (errno != Errno.EINTR) {
                    throw new LinuxException("copy_file_range", "fd " + inFd + " -> fd " + outFd, errno);
                }
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
