package layerfd.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Downcall plumbing shared by the syscall wrappers of this package: one linker, errno captured with every call
 * (reading errno after the fact through a second downcall is unreliable on a JVM thread).
 */
final class Libc {
    static final Linker LINKER = Linker.nativeLinker();
    static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private Libc() {}

    /** A downcall to a libc function that records errno; {@code firstVariadic} &lt; 0 for fixed-arity functions. */
    static MethodHandle function(String name, FunctionDescriptor descriptor, int firstVariadic) {
        MemorySegment address = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsupportedOperationException("libc has no " + name));
        Linker.Option capture = Linker.Option.captureCallState("errno");
        return firstVariadic < 0
                ? LINKER.downcallHandle(address, descriptor, capture)
                : LINKER.downcallHandle(address, descriptor, Linker.Option.firstVariadicArg(firstVariadic), capture);
    }

    /** A fresh errno capture segment; calls take it as their first argument. */
    static MemorySegment captureState(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** Rethrows what a downcall throws (it never throws checked exceptions of its own). */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
