package layerfd.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * open(2) and openat2(2). Paths are byte strings: a layer may hold names that are not UTF-8 (tar-split
 * {@code name_raw}), and they must reach the kernel exactly as stored.
 */
public final class Open {
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_NOCTTY = 0400;
    public static final int O_TRUNC = 01000;
    public static final int O_NONBLOCK = 04000;
    public static final int O_DIRECTORY = 0200000;
    public static final int O_NOFOLLOW = 0400000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_PATH = 010000000;

    /** AT_FDCWD: relative paths resolve against the working directory. */
    public static final int AT_FDCWD = -100;

    public static final long RESOLVE_NO_XDEV = 0x01;
    public static final long RESOLVE_NO_MAGICLINKS = 0x02;
    public static final long RESOLVE_NO_SYMLINKS = 0x04;
    public static final long RESOLVE_BENEATH = 0x08;

    /** openat2 is 437 on x86_64 and in the asm-generic table (aarch64, riscv64) alike. */
    private static final long SYS_OPENAT2 = 437;

    // struct open_how { __u64 flags; __u64 mode; __u64 resolve; }
    private static final StructLayout OPEN_HOW = MemoryLayout.structLayout(
            JAVA_LONG.withName("flags"), JAVA_LONG.withName("mode"), JAVA_LONG.withName("resolve"));

    // int open(const char *path, int flags, ...): mode is variadic.
    private static final MethodHandle OPEN = Libc.function("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), 2);
    // long syscall(long number, ...): glibc 2.36 has no openat2 wrapper.
    private static final MethodHandle SYSCALL4 = Libc.function("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG), 1);

    private Open() {}

    /** open(2) of a path given as bytes. */
    public static OwnedFd open(byte[] path, int flags, int mode) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.captureState(arena);
            int fd = (int) OPEN.invokeExact(state, CheckedCall.cString(arena, path), flags, mode);
            if (fd < 0) {
                throw new LinuxException("open", printable(path), Libc.errno(state));
            }
            return OwnedFd.adopt(fd);
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public static OwnedFd open(String path, int flags, int mode) throws LinuxException {
        return open(path.getBytes(StandardCharsets.UTF_8), flags, mode);
    }

    /**
     * openat2(2) of {@code path} relative to {@code dirFd}; with {@code RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS}
     * the kernel refuses any path that would leave the directory, by {@code ..} or by a symlink in any component.
     */
    public static OwnedFd openat2(int dirFd, byte[] path, long flags, long mode, long resolve)
            throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment how = arena.allocate(OPEN_HOW);
            how.set(JAVA_LONG, 0, flags);
            how.set(JAVA_LONG, 8, mode);
            how.set(JAVA_LONG, 16, resolve);
            MemorySegment state = Libc.captureState(arena);
            long fd = (long) SYSCALL4.invokeExact(state, sysOpenat2(), dirFd, CheckedCall.cString(arena, path), how,
                    OPEN_HOW.byteSize());
            if (fd < 0) {
                throw new LinuxException("openat2", printable(path), Libc.errno(state));
            }
            return OwnedFd.adopt((int) fd);
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    private static long sysOpenat2() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64", "aarch64", "riscv64" -> SYS_OPENAT2;
            default -> throw new UnsupportedOperationException("openat2 syscall number unknown on " + arch);
        };
    }

    /** A path for messages: UTF-8 where it is, other bytes as \xNN. */
    public static String printable(byte[] path) {
        StringBuilder sb = new StringBuilder(path.length);
        String decoded = new String(path, StandardCharsets.UTF_8);
        if (Arrays.equals(decoded.getBytes(StandardCharsets.UTF_8), path)) {
            return decoded;
        }
        for (byte b : path) {
            if (b >= 0x20 && b < 0x7f) {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b & 0xff));
            }
        }
        return sb.toString();
    }
}
