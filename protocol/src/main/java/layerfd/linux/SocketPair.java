package layerfd.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * socketpair(2) for AF_UNIX SOCK_STREAM, close-on-exec. junixsocket 2.11.1's own AFUNIXSocketPair.open() leaks two
 * descriptors per pair (it opens two sockets and then replaces them), so layerfd makes the pair itself.
 */
public final class SocketPair {
    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 0x80000;

    private static final MethodHandle SOCKETPAIR = Libc.function("socketpair",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), -1);

    private SocketPair() {}

    /** Two connected stream sockets; the caller owns both. */
    public static List<OwnedFd> openStream() throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            MemorySegment state = Libc.captureState(arena);
            int r = (int) SOCKETPAIR.invokeExact(state, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds);
            if (r < 0) {
                throw new LinuxException("socketpair", "AF_UNIX, SOCK_STREAM", Libc.errno(state));
            }
            return List.of(OwnedFd.adopt(fds.get(JAVA_INT, 0)), OwnedFd.adopt(fds.get(JAVA_INT, 4)));
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
