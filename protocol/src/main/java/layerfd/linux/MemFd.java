package layerfd.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** memfd_create(2): anonymous files, here the splitfdstream a server hands out, sealed once written. */
public final class MemFd {
    public static final int MFD_CLOEXEC = 0x1;
    public static final int MFD_ALLOW_SEALING = 0x2;
    /** The seals a finished stream carries: nobody can change its bytes or its size, nor remove the seals. */
    public static final int IMMUTABLE_SEALS =
            Fcntl.F_SEAL_WRITE | Fcntl.F_SEAL_SHRINK | Fcntl.F_SEAL_GROW | Fcntl.F_SEAL_SEAL;

    private static final MethodHandle MEMFD_CREATE = Libc.function("memfd_create",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), -1);

    private MemFd() {}

    /** A close-on-exec memfd that accepts seals. */
    public static OwnedFd create(String name) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.captureState(arena);
            int fd = (int) MEMFD_CREATE.invokeExact(state, arena.allocateFrom(name), MFD_CLOEXEC | MFD_ALLOW_SEALING);
            if (fd < 0) {
                throw new LinuxException("memfd_create", name, Libc.errno(state));
            }
            return OwnedFd.adopt(fd);
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Seals {@code fd} against writes, shrinking, growing and further seal changes. */
    public static void sealImmutable(int fd) throws LinuxException {
        Fcntl.addSeals(fd, IMMUTABLE_SEALS);
    }
}
