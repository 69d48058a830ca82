package layerfd.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The names in a directory given by descriptor, as raw bytes, without "." and "..", read with getdents64(2). The JDK
 * lists only by path and turns names that are not valid in the platform charset into '?'; readdir(3) cannot tell
 * its end from an error without a reliable errno, which getdents64's return value gives directly.
 */
public final class ReadDir {
    /** struct linux_dirent64: d_ino(8) d_off(8) d_reclen(2) d_type(1) d_name[], NUL-terminated. */
    private static final long D_RECLEN_OFFSET = 16;
    private static final long D_NAME_OFFSET = 19;
    private static final long BUFFER_BYTES = 32 * 1024;
    /** getdents64 is 217 on x86_64 and 61 in the asm-generic table (aarch64, riscv64). */
    private static final long SYS_GETDENTS64_X86_64 = 217;
    private static final long SYS_GETDENTS64_GENERIC = 61;

    // long syscall(long number, ...): glibc 2.36 exports getdents64 but the raw call keeps the errno contract plain.
    private static final MethodHandle SYSCALL3 = Libc.function("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), 1);

    private ReadDir() {}

    /** Every name in {@code dirFd} (any descriptor of a directory, O_PATH included); the caller keeps owning it. */
    public static List<byte[]> names(int dirFd) throws LinuxException {
        // getdents64 reads from the descriptor's offset: a fresh descriptor starts at 0 and moves no one else's.
        try (OwnedFd dir = Open.openat2(dirFd, new byte[] {'.'},
                Open.O_RDONLY | Open.O_DIRECTORY | Open.O_CLOEXEC, 0, 0);
             Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(BUFFER_BYTES, 8);
            MemorySegment state = Libc.captureState(arena);
            List<byte[]> names = new ArrayList<>();
            while (true) {
                long n = (long) SYSCALL3.invokeExact(state, sysGetdents64(), dir.get(), buffer, BUFFER_BYTES);
                if (n < 0) {
                    int errno = Libc.errno(state);
                    if (errno == Errno.EINTR) {
                        continue;
                    }
                    throw new LinuxException("getdents64", "fd " + dirFd, errno);
                }
                if (n == 0) {
                    return names;
                }
                for (long at = 0; at < n; at += Short.toUnsignedInt(buffer.get(JAVA_SHORT, at + D_RECLEN_OFFSET))) {
                    byte[] name = nulTerminated(buffer, at + D_NAME_OFFSET);
                    if (!isDotOrDotDot(name)) {
                        names.add(name);
                    }
                }
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    private static long sysGetdents64() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> SYS_GETDENTS64_X86_64;
            case "aarch64", "riscv64" -> SYS_GETDENTS64_GENERIC;
            default -> throw new UnsupportedOperationException("getdents64 syscall number unknown on " + arch);
        };
    }

    private static byte[] nulTerminated(MemorySegment buffer, long start) {
        long end = start;
        while (buffer.get(JAVA_BYTE, end) != 0) {
            end++;
        }
        return buffer.asSlice(start, end - start).toArray(JAVA_BYTE);
    }

    private static boolean isDotOrDotDot(byte[] name) {
        return (name.length == 1 && name[0] == '.') || (name.length == 2 && name[0] == '.' && name[1] == '.');
    }
}
