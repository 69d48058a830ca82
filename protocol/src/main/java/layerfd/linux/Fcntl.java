package layerfd.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** fcntl(2) and close(2): descriptor flags, duplication, access mode and memfd seals. */
public final class Fcntl {
    public static final int F_GETFD = 1;
    public static final int F_SETFD = 2;
    public static final int F_GETFL = 3;
    public static final int F_DUPFD_CLOEXEC = 1030;
    public static final int F_ADD_SEALS = 1033;
    public static final int F_GET_SEALS = 1034;
    public static final int FD_CLOEXEC = 1;

    public static final int O_ACCMODE = 3;
    public static final int O_RDONLY = 0;

    public static final int F_SEAL_SEAL = 0x1;
    public static final int F_SEAL_SHRINK = 0x2;
    public static final int F_SEAL_GROW = 0x4;
    public static final int F_SEAL_WRITE = 0x8;

    // int fcntl(int fd, int cmd, ...): the third argument is variadic.
    private static final MethodHandle FCNTL = Libc.function("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), 2);
    private static final MethodHandle CLOSE = Libc.function("close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT), -1);

    private Fcntl() {}

    static int fcntl(String what, int fd, int cmd, int arg) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.captureState(arena);
            int result = (int) FCNTL.invokeExact(state, fd, cmd, arg);
            if (result < 0) {
                throw new LinuxException("fcntl", what + " on fd " + fd, Libc.errno(state));
            }
            return result;
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** A new descriptor for the same open file, close-on-exec, so no child process inherits it. */
    public static int dupCloseOnExec(int fd) throws LinuxException {
        return fcntl("F_DUPFD_CLOEXEC", fd, F_DUPFD_CLOEXEC, 0);
    }

    public static boolean isCloseOnExec(int fd) throws LinuxException {
        return (fcntl("F_GETFD", fd, F_GETFD, 0) & FD_CLOEXEC) != 0;
    }

    public static void setCloseOnExec(int fd) throws LinuxException {
        int flags = fcntl("F_GETFD", fd, F_GETFD, 0);
        fcntl("F_SETFD", fd, F_SETFD, flags | FD_CLOEXEC);
    }

    /** O_RDONLY, O_WRONLY or O_RDWR of the open file description. */
    public static int accessMode(int fd) throws LinuxException {
        return fcntl("F_GETFL", fd, F_GETFL, 0) & O_ACCMODE;
    }

    public static void addSeals(int fd, int seals) throws LinuxException {
        fcntl("F_ADD_SEALS", fd, F_ADD_SEALS, seals);
    }

    public static int seals(int fd) throws LinuxException {
        return fcntl("F_GET_SEALS", fd, F_GET_SEALS, 0);
    }

    /** true when {@code fd} is an open descriptor of this process. */
    public static boolean isOpen(int fd) {
        try {
            fcntl("F_GETFD", fd, F_GETFD, 0);
            return true;
        } catch (LinuxException e) {
            return false;
        }
    }

    /**
     * close(2), ignoring its result: on Linux the descriptor is gone even when close reports EINTR or EIO, so a
     * retry could close a descriptor another thread has just been given.
     */
    static void closeQuietly(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.captureState(arena);
            int ignored = (int) CLOSE.invokeExact(state, fd);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
