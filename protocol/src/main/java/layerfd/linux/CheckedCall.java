package layerfd.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One libc call that returns -1 and sets errno on failure, run in its own arena with errno captured, turned into a
 * {@link LinuxException} naming the call and what it was applied to. Shared by the path-based wrappers.
 */
final class CheckedCall {
    @FunctionalInterface
    interface Downcall {
        int invoke(Arena arena, MemorySegment errnoState) throws Throwable;
    }

    private CheckedCall() {}

    static void run(String call, String what, Downcall downcall) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.captureState(arena);
            if (downcall.invoke(arena, state) < 0) {
                throw new LinuxException(call, what, Libc.errno(state));
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** A NUL-terminated copy; a NUL inside would silently cut the name, so it is refused. */
    static MemorySegment cString(Arena arena, byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                throw new IllegalArgumentException("name contains a NUL byte: " + Open.printable(bytes));
            }
        }
        MemorySegment s = arena.allocate(bytes.length + 1L);
        MemorySegment.copy(bytes, 0, s, JAVA_BYTE, 0, bytes.length);
        s.set(JAVA_BYTE, bytes.length, (byte) 0);
        return s;
    }
}
