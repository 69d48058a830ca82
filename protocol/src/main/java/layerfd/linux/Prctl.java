package layerfd.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** prctl(2) operations layerfd needs: the parent-death signal of a helper process. */
public final class Prctl {
    /** linux/prctl.h. */
    private static final int PR_SET_PDEATHSIG = 1;
    /** asm-generic/signal.h. */
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;

    // int prctl(int option, ...): glibc declares it variadic.
    private static final MethodHandle PRCTL = Libc.function("prctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), 1);

    private Prctl() {}

    /**
     * Asks the kernel to send {@code signal} to this process when the thread that created it exits (prctl(2):
     * "parent" means the creating thread). The caller must still check that the parent is alive afterwards: a
     * parent that died before this call sends nothing.
     */
    public static void setParentDeathSignal(int signal) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.captureState(arena);
            int r = (int) PRCTL.invokeExact(state, PR_SET_PDEATHSIG, (long) signal);
            if (r < 0) {
                throw new LinuxException("prctl", "PR_SET_PDEATHSIG, " + signal, Libc.errno(state));
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
