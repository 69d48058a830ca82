package layerfd.client.testing;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Drops capabilities from the calling thread's effective set for a while (capget/capset; Linux capabilities are per
 * thread), so a root test can see what an unprivileged applier sees: mknod of a device without CAP_MKNOD, trusted.*
 * xattrs without CAP_SYS_ADMIN. The permitted set is kept, so {@link #close()} can raise them again.
 */
public final class ThreadCapabilities implements AutoCloseable {
    public static final int CAP_SYS_ADMIN = 21;
    public static final int CAP_MKNOD = 27;
    /** _LINUX_CAPABILITY_VERSION_3: two 32-bit words per set. */
    private static final int VERSION_3 = 0x20080522;
    private static final int DATA_WORDS = 2;
    private static final int DATA_STRUCT_INTS = 3;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle CAPGET = LINKER.downcallHandle(
            LINKER.defaultLookup().find("capget").orElseThrow(), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle CAPSET = LINKER.downcallHandle(
            LINKER.defaultLookup().find("capset").orElseThrow(), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));

    private final int[] savedEffective;

    private ThreadCapabilities(int[] savedEffective) {
        this.savedEffective = savedEffective;
    }

    /** Lowers {@code capabilities} in this thread's effective set until {@link #close()}. */
    public static ThreadCapabilities without(int... capabilities) {
        int[] effective = get();
        int[] lowered = effective.clone();
        for (int cap : capabilities) {
            lowered[cap / 32] &= ~(1 << (cap % 32));
        }
        set(lowered);
        return new ThreadCapabilities(effective);
    }

    @Override
    public void close() {
        set(savedEffective);
    }

    private static int[] get() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment header = header(arena);
            MemorySegment data = arena.allocate(JAVA_INT, (long) DATA_WORDS * DATA_STRUCT_INTS);
            check((int) CAPGET.invokeExact(header, data), "capget");
            return new int[] {data.getAtIndex(JAVA_INT, 0), data.getAtIndex(JAVA_INT, DATA_STRUCT_INTS)};
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void set(int[] effective) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment header = header(arena);
            MemorySegment data = arena.allocate(JAVA_INT, (long) DATA_WORDS * DATA_STRUCT_INTS);
            check((int) CAPGET.invokeExact(header, data), "capget");
            for (int word = 0; word < DATA_WORDS; word++) {
                data.setAtIndex(JAVA_INT, (long) word * DATA_STRUCT_INTS, effective[word]);
            }
            check((int) CAPSET.invokeExact(header, data), "capset");
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static MemorySegment header(Arena arena) {
        MemorySegment header = arena.allocate(JAVA_INT, 2);
        header.setAtIndex(JAVA_INT, 0, VERSION_3);
        header.setAtIndex(JAVA_INT, 1, 0);
        return header;
    }

    private static void check(int result, String call) {
        if (result != 0) {
            throw new IllegalStateException(call + " failed");
        }
    }
}
