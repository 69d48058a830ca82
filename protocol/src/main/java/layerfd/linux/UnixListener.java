package layerfd.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * A listening AF_UNIX SOCK_STREAM socket as a plain descriptor (socket(2), bind(2), listen(2)), for a listener that
 * must outlive this program across an {@link Exec#execve}; the JDK's and junixsocket's sockets do not expose their
 * descriptor number. Created with SOCK_CLOEXEC like every other descriptor of layerfd.
 */
public final class UnixListener {
    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 0x80000;
    /** unix(7): struct sockaddr_un is sa_family_t (2 bytes) then sun_path[108], NUL-terminated here. */
    private static final int SUN_PATH_BYTES = 108;
    private static final int FAMILY_BYTES = 2;

    private static final MethodHandle SOCKET = Libc.function("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), -1);
    private static final MethodHandle BIND = Libc.function("bind",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), -1);
    private static final MethodHandle LISTEN = Libc.function("listen",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), -1);

    private UnixListener() {}

    /** A new socket bound to {@code path} (which must not exist) and listening with {@code backlog}. */
    public static OwnedFd bind(String path, int backlog) throws LinuxException {
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        if (name.length >= SUN_PATH_BYTES) {
            throw new IllegalArgumentException("socket path is " + name.length + " bytes, longer than the "
                    + (SUN_PATH_BYTES - 1) + " an AF_UNIX address holds: " + path);
        }
        OwnedFd fd = socket(path);
        try {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment address = arena.allocate(FAMILY_BYTES + SUN_PATH_BYTES);
                address.set(JAVA_SHORT, 0, (short) AF_UNIX);
                MemorySegment.copy(CheckedCall.cString(arena, name), JAVA_BYTE, 0, address, JAVA_BYTE, FAMILY_BYTES,
                        name.length + 1L);
                int length = FAMILY_BYTES + name.length + 1;
                CheckedCall.run("bind", path, (a, state) -> (int) BIND.invokeExact(state, fd.get(), address, length));
            }
            CheckedCall.run("listen", path, (a, state) -> (int) LISTEN.invokeExact(state, fd.get(), backlog));
            return fd;
        } catch (LinuxException | RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    private static OwnedFd socket(String path) throws LinuxException {
        int[] fd = new int[1];
        CheckedCall.run("socket", "AF_UNIX for " + path, (a, state) -> fd[0] = (int) SOCKET.invokeExact(state,
                AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
        return OwnedFd.adopt(fd[0]);
    }
}
