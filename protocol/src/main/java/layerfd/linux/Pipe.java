package layerfd.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * pipe2(2) with O_CLOEXEC, and sequential read(2)/write(2) for the ends. A pipe has no offsets, so the positional
 * I/O of {@link FileIo} (pread gives ESPIPE) cannot read or fill one.
 */
public final class Pipe {
    /** One read(2) or write(2) moves at most this much. */
    public static final int CHUNK_BYTES = 64 * 1024;

    private static final MethodHandle PIPE2 = Libc.function("pipe2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), -1);
    private static final MethodHandle READ = Libc.function("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), -1);
    private static final MethodHandle WRITE = Libc.function("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), -1);

    /** Both ends of a new pipe; the caller owns both. */
    public record Ends(OwnedFd readEnd, OwnedFd writeEnd) implements AutoCloseable {
        @Override
        public void close() {
            readEnd.close();
            writeEnd.close();
        }
    }

    private Pipe() {}

    public static Ends open() throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            MemorySegment state = Libc.captureState(arena);
            int r = (int) PIPE2.invokeExact(state, fds, Open.O_CLOEXEC);
            if (r < 0) {
                throw new LinuxException("pipe2", "O_CLOEXEC", Libc.errno(state));
            }
            return new Ends(OwnedFd.adopt(fds.get(JAVA_INT, 0)), OwnedFd.adopt(fds.get(JAVA_INT, 4)));
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Reads {@code fd} with read(2) until end of file (a pipe: every write end closed). Retries EINTR. */
    public static byte[] readToEnd(OwnedFd fd) throws LinuxException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(CHUNK_BYTES);
            for (long n; (n = transfer(READ, "read", fd.get(), buffer, arena)) > 0; ) {
                out.writeBytes(buffer.asSlice(0, n).toArray(JAVA_BYTE));
            }
        }
        return out.toByteArray();
    }

    /** Writes all of {@code bytes} to {@code fd} with write(2). Retries EINTR and short writes. */
    public static void writeFully(OwnedFd fd, byte[] bytes) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocateFrom(JAVA_BYTE, bytes);
            long done = 0;
            while (done < bytes.length) {
                done += transfer(WRITE, "write", fd.get(), data.asSlice(done), arena);
            }
        }
    }

    private static long transfer(MethodHandle call, String name, int fd, MemorySegment buf, Arena arena)
            throws LinuxException {
        MemorySegment state = Libc.captureState(arena);
        try {
            while (true) {
                long n = (long) call.invokeExact(state, fd, buf, buf.byteSize());
                if (n >= 0) {
                    return n;
                }
                int errno = Libc.errno(state);
                if (errno != Errno.EINTR) {
                    throw new LinuxException(name, "fd " + fd, errno);
                }
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
