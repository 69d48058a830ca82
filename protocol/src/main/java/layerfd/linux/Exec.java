package layerfd.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * execve(2) from a running JVM: the process keeps its pid and every descriptor without FD_CLOEXEC, all other threads
 * end, and the calling thread's credentials (capability sets, bounding set, no_new_privs) become the new program's.
 */
public final class Exec {
    private static final MethodHandle EXECVE = Libc.function("execve",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS), -1);
    // int close_range(unsigned first, unsigned last, int flags): Linux 5.11, glibc 2.34.
    private static final MethodHandle CLOSE_RANGE = Libc.function("close_range",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), -1);
    /** linux/close_range.h: mark the range close-on-exec instead of closing it. */
    private static final int CLOSE_RANGE_CLOEXEC = 1 << 2;
    /** stdin, stdout and stderr stay open across the execve; every other descriptor but the kept ones is closed. */
    private static final int FIRST_CLOSED_FD = 3;
    /** ~0U: the last descriptor number close_range knows. */
    private static final int LAST_FD = -1;

    private Exec() {}

    /**
     * Replaces this process with {@code program}, called with {@code argv} and {@code environment} (each entry
     * "NAME=value"), all raw bytes without NUL. The new program gets stdin, stdout, stderr and {@code keptFds} (under
     * the same numbers) and nothing else: the JDK opens some files (the jars of the class path) without O_CLOEXEC,
     * relying on its own process launcher to close them in a child, so every other descriptor is marked
     * close-on-exec here (close_range(2) CLOSE_RANGE_CLOEXEC) right before the call. Returns only by throwing: the
     * {@link LinuxException} of a failed call.
     */
    public static void execve(byte[] program, List<byte[]> argv, List<byte[]> environment, List<Integer> keptFds)
            throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment path = CheckedCall.cString(arena, program);
            MemorySegment args = pointerArray(arena, argv);
            MemorySegment env = pointerArray(arena, environment);
            MemorySegment state = Libc.captureState(arena);
            if ((int) CLOSE_RANGE.invokeExact(state, FIRST_CLOSED_FD, LAST_FD, CLOSE_RANGE_CLOEXEC) < 0) {
                throw new LinuxException("close_range", "CLOSE_RANGE_CLOEXEC from fd " + FIRST_CLOSED_FD,
                        Libc.errno(state));
            }
            for (int fd : keptFds) {
                Fcntl.fcntl("clear FD_CLOEXEC", fd, Fcntl.F_SETFD, 0);
            }
            int r = (int) EXECVE.invokeExact(state, path, args, env);
            throw new LinuxException("execve", Open.printable(program) + " (returned " + r + ")", Libc.errno(state));
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** A NULL-terminated array of C strings, as execve's argv and envp. */
    private static MemorySegment pointerArray(Arena arena, List<byte[]> strings) {
        MemorySegment array = arena.allocate(ADDRESS, strings.size() + 1L);
        for (int i = 0; i < strings.size(); i++) {
            array.setAtIndex(ADDRESS, i, CheckedCall.cString(arena, strings.get(i)));
        }
        array.setAtIndex(ADDRESS, strings.size(), MemorySegment.NULL);
        return array;
    }
}
