package layerfd.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Lowers the CALLING THREAD's privileges for good, as the last steps before an {@link Exec#execve}: capabilities(7)
 * keeps every capability set, the bounding set and no_new_privs per thread, so in a JVM, whose other threads
 * already run, these calls only mean something for a thread that then executes a new program (the new program's
 * threads all inherit from that one thread). Every call needs CAP_SETPCAP or nothing (see each).
 */
public final class CapabilityDrop {
    /** linux/capability.h: bypass read permission checks on files and read/search checks on directories. */
    public static final int CAP_DAC_READ_SEARCH = 2;
    /** linux/prctl.h. */
    private static final int PR_CAPBSET_DROP = 24;
    private static final int PR_SET_NO_NEW_PRIVS = 38;
    private static final int PR_CAP_AMBIENT = 47;
    private static final int PR_CAP_AMBIENT_CLEAR_ALL = 4;
    /** linux/capability.h: _LINUX_CAPABILITY_VERSION_3, two 32-bit words per set. */
    private static final int CAPABILITY_VERSION_3 = 0x20080522;
    private static final int CAPABILITY_WORDS = 2;
    /** struct __user_cap_data_struct: effective, permitted, inheritable (u32 each). */
    private static final int DATA_INTS = 3;
    private static final int INHERITABLE = 2;
    private static final int BITS_PER_WORD = 32;
    /** The highest capability number this kernel knows (capabilities(7), "/proc/sys/kernel/cap_last_cap"). */
    private static final Path CAP_LAST_CAP = Path.of("/proc/sys/kernel/cap_last_cap");

    // int prctl(int option, ...): glibc declares it variadic; the options used here take four more longs, and the
    // kernel refuses PR_CAP_AMBIENT and PR_SET_NO_NEW_PRIVS unless the unused ones are 0.
    private static final MethodHandle PRCTL = Libc.function("prctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), 1);
    private static final MethodHandle CAPGET = Libc.function("capget",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), -1);
    private static final MethodHandle CAPSET = Libc.function("capset",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), -1);

    private CapabilityDrop() {}

    /**
     * Removes every capability not in {@code keepMask} (bit n = capability n) from this thread's bounding set
     * (PR_CAPBSET_DROP, needs CAP_SETPCAP). A capability gone from the bounding set can never be gained again, also
     * not by executing a set-user-ID-root or file-capability program; for a root execve it is the limit of the new
     * permitted and effective sets.
     */
    public static void limitBoundingSet(long keepMask) throws LinuxException {
        int last = lastCapability();
        for (int cap = 0; cap <= last; cap++) {
            if ((keepMask >>> cap & 1) == 0) {
                prctl("PR_CAPBSET_DROP", PR_CAPBSET_DROP, cap, 0);
            }
        }
    }

    /** Empties this thread's ambient set, which would otherwise survive an execve (PR_CAP_AMBIENT_CLEAR_ALL). */
    public static void clearAmbient() throws LinuxException {
        prctl("PR_CAP_AMBIENT", PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0);
    }

    /**
     * Sets no_new_privs on this thread (prctl(2) PR_SET_NO_NEW_PRIVS; it is inherited and cannot be unset): no execve
     * grants privileges any more, set-user-ID bits and file capabilities are ignored.
     */
    public static void setNoNewPrivs() throws LinuxException {
        prctl("PR_SET_NO_NEW_PRIVS", PR_SET_NO_NEW_PRIVS, 1, 0);
    }

    /**
     * Empties this thread's inheritable set (capset(2)), leaving effective and permitted as they are: an execve as
     * root adds (inheritable &amp; file inheritable) to the new permitted set, and for root the file sets count as
     * full, so an inheritable capability would come back past the bounding set.
     */
    public static void clearInheritable() throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.captureState(arena);
            MemorySegment header = arena.allocate(JAVA_INT, 2);
            header.setAtIndex(JAVA_INT, 0, CAPABILITY_VERSION_3);
            header.setAtIndex(JAVA_INT, 1, 0);
            MemorySegment data = arena.allocate(JAVA_INT, (long) CAPABILITY_WORDS * DATA_INTS);
            if ((int) CAPGET.invokeExact(state, header, data) < 0) {
                throw new LinuxException("capget", "this thread", Libc.errno(state));
            }
            for (int word = 0; word < CAPABILITY_WORDS; word++) {
                data.setAtIndex(JAVA_INT, (long) word * DATA_INTS + INHERITABLE, 0);
            }
            if ((int) CAPSET.invokeExact(state, header, data) < 0) {
                throw new LinuxException("capset", "empty inheritable set", Libc.errno(state));
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** The highest capability number of the running kernel (40 on Linux 5.9 and later). */
    public static int lastCapability() {
        try {
            // Files.readString returns only "4" of this sysctl's "40\n" on JDK 25 (the file reports size 0 and
            // answers a short first read); reading lines reads to the end.
            int last = Integer.parseInt(Files.readAllLines(CAP_LAST_CAP).getFirst().trim());
            if (last < 0 || last >= CAPABILITY_WORDS * BITS_PER_WORD) {
                throw new IllegalStateException(CAP_LAST_CAP + " says " + last + ", outside 0.."
                        + (CAPABILITY_WORDS * BITS_PER_WORD - 1));
            }
            return last;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CAP_LAST_CAP, e);
        }
    }

    private static void prctl(String name, int option, long arg2, long arg3) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.captureState(arena);
            int r = (int) PRCTL.invokeExact(state, option, arg2, arg3, 0L, 0L);
            if (r < 0) {
                throw new LinuxException("prctl", name + ", " + arg2, Libc.errno(state));
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
