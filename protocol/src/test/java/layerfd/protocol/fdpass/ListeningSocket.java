package layerfd.protocol.fdpass;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import layerfd.linux.OwnedFd;

/**
 * A listening AF_UNIX socket made with plain socket/bind/listen, the way systemd hands one to a socket-activated
 * service, so a test can inherit it.
 */
@SuppressWarnings("restricted") // FFM downcalls; the tests run with --enable-native-access
final class ListeningSocket {
    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM_CLOEXEC = 1 | 0x80000;
    private static final int SOCKADDR_UN_BYTES = 110;
    private static final int SUN_PATH_OFFSET = 2;
    private static final int BACKLOG = 16;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SOCKET = function("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = function("bind",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LISTEN = function("listen",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

    private ListeningSocket() {}

    private static MethodHandle function(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor);
    }

    static OwnedFd bound(Path path) throws Throwable {
        OwnedFd fd = OwnedFd.adopt((int) SOCKET.invokeExact(AF_UNIX, SOCK_STREAM_CLOEXEC, 0));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(SOCKADDR_UN_BYTES);
            address.set(JAVA_SHORT, 0, (short) AF_UNIX);
            byte[] bytes = path.toString().getBytes(StandardCharsets.UTF_8);
            MemorySegment.copy(bytes, 0, address, JAVA_BYTE, SUN_PATH_OFFSET, bytes.length);
            if ((int) BIND.invokeExact(fd.get(), address, SOCKADDR_UN_BYTES) != 0
                    || (int) LISTEN.invokeExact(fd.get(), BACKLOG) != 0) {
                throw new IllegalStateException("bind/listen failed for " + path);
            }
            return fd;
        } catch (Throwable t) {
            fd.close();
            throw t;
        }
    }
}
