package layerfd.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * posix_spawnp(3) with descriptors placed at chosen numbers in the child: what {@link ProcessBuilder} cannot do,
 * since it offers only pipes and files as stdin, never a socket this process holds (userns helper: one end of a
 * socketpair as the child's stdin; splitfdstream brief §3, "How it is spawned"). Every other descriptor of this
 * process is closed in the child (posix_spawn_file_actions_addclosefrom_np, glibc 2.34+), every signal
 * disposition is reset to the default and the signal mask is cleared, as ProcessBuilder's children have them.
 */
public final class Spawn {
    /** Bigger than glibc's posix_spawn_file_actions_t (80 bytes on 64-bit) and posix_spawnattr_t (336). */
    private static final long OPAQUE_STRUCT_BYTES = 1024;
    /** Bigger than glibc's sigset_t (128 bytes). */
    private static final long SIGSET_BYTES = 256;
    /** spawn.h. */
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    /** Descriptors from this number on are closed in the child unless a redirect put them there. */
    private static final int FIRST_CLOSED_FD = 3;

    private static final MethodHandle FA_INIT = noErrno("posix_spawn_file_actions_init",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle FA_DESTROY = noErrno("posix_spawn_file_actions_destroy",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle FA_ADDDUP2 = noErrno("posix_spawn_file_actions_adddup2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle FA_ADDCLOSEFROM = noErrno("posix_spawn_file_actions_addclosefrom_np",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle ATTR_INIT = noErrno("posix_spawnattr_init",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ATTR_DESTROY = noErrno("posix_spawnattr_destroy",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ATTR_SETFLAGS = noErrno("posix_spawnattr_setflags",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
    private static final MethodHandle ATTR_SETSIGMASK = noErrno("posix_spawnattr_setsigmask",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle ATTR_SETSIGDEFAULT = noErrno("posix_spawnattr_setsigdefault",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SIGEMPTYSET = noErrno("sigemptyset",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle SIGFILLSET = noErrno("sigfillset",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    // int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa,
    //                  const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
    private static final MethodHandle POSIX_SPAWNP = noErrno("posix_spawnp",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));

    /** The posix_spawn family returns its error number rather than setting errno: nothing to capture. */
    private static MethodHandle noErrno(String name, FunctionDescriptor descriptor) {
        return Libc.LINKER.downcallHandle(Libc.LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsupportedOperationException("libc has no " + name)), descriptor);
    }

    /** Puts {@code source} (still owned by the caller) at descriptor number {@code target} in the child. */
    public record Redirect(int target, OwnedFd source) {
        public Redirect {
            if (target < 0 || target >= FIRST_CLOSED_FD) {
                throw new IllegalArgumentException("redirect target must be 0, 1 or 2, got " + target);
            }
        }
    }

    private Spawn() {}

    /**
     * Starts {@code argv} (argv[0] searched in this process's PATH) with exactly {@code environment}
     * ("KEY=VALUE" strings) and the given redirects; descriptors 0-2 not redirected are inherited. The returned
     * child is reaped by its own thread, so it never stays a zombie.
     */
    public static ChildProcess spawn(List<String> argv, List<String> environment, List<Redirect> redirects)
            throws LinuxException {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv is empty");
        }
        // The child's "parent" for PR_SET_PDEATHSIG is the thread that spawned it (prctl(2)), so the spawn runs on
        // the child's own reaper thread, which lives exactly as long as the child: a helper that sets the signal
        // then dies with this process, not with whichever request thread happened to start it.
        return ChildProcess.spawnOnReaperThread(argv.getFirst(), () -> spawnHere(argv, environment, redirects));
    }

    /** posix_spawnp on the calling thread; returns the pid. */
    private static int spawnHere(List<String> argv, List<String> environment, List<Redirect> redirects)
            throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actions = arena.allocate(OPAQUE_STRUCT_BYTES);
            MemorySegment attr = arena.allocate(OPAQUE_STRUCT_BYTES);
            check("posix_spawn_file_actions_init", (int) FA_INIT.invokeExact(actions));
            try {
                check("posix_spawnattr_init", (int) ATTR_INIT.invokeExact(attr));
                try {
                    for (Redirect r : redirects) {
                        check("posix_spawn_file_actions_adddup2",
                                (int) FA_ADDDUP2.invokeExact(actions, r.source().get(), r.target()));
                    }
                    check("posix_spawn_file_actions_addclosefrom_np",
                            (int) FA_ADDCLOSEFROM.invokeExact(actions, FIRST_CLOSED_FD));
                    resetSignals(arena, attr);
                    MemorySegment pid = arena.allocate(JAVA_INT);
                    int r = (int) POSIX_SPAWNP.invokeExact(pid, arena.allocateFrom(argv.getFirst()), actions, attr,
                            stringArray(arena, argv), stringArray(arena, environment));
                    if (r != 0) {
                        // posix_spawn returns the error number instead of setting errno.
                        throw new LinuxException("posix_spawnp", argv.getFirst(), r);
                    }
                    return pid.get(JAVA_INT, 0);
                } finally {
                    int ignored = (int) ATTR_DESTROY.invokeExact(attr);
                }
            } finally {
                int ignored = (int) FA_DESTROY.invokeExact(actions);
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    private static void resetSignals(Arena arena, MemorySegment attr) throws Throwable {
        MemorySegment none = arena.allocate(SIGSET_BYTES);
        MemorySegment all = arena.allocate(SIGSET_BYTES);
        check("sigemptyset", (int) SIGEMPTYSET.invokeExact(none));
        check("sigfillset", (int) SIGFILLSET.invokeExact(all));
        check("posix_spawnattr_setsigmask", (int) ATTR_SETSIGMASK.invokeExact(attr, none));
        check("posix_spawnattr_setsigdefault", (int) ATTR_SETSIGDEFAULT.invokeExact(attr, all));
        check("posix_spawnattr_setflags", (int) ATTR_SETFLAGS.invokeExact(attr,
                (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)));
    }

    /** A NULL-terminated char*[] (argv, envp) allocated in {@code arena}. */
    private static MemorySegment stringArray(Arena arena, List<String> strings) {
        MemorySegment array = arena.allocate(ADDRESS, strings.size() + 1L);
        for (int i = 0; i < strings.size(); i++) {
            String s = strings.get(i);
            if (s.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("argument or environment entry contains a NUL byte: " + s);
            }
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(s));
        }
        array.setAtIndex(ADDRESS, strings.size(), MemorySegment.NULL);
        return array;
    }

    /** The posix_spawn family returns an error number (0 = success); sigemptyset/sigfillset return 0 or -1. */
    private static void check(String call, int result) throws LinuxException {
        if (result != 0) {
            throw new LinuxException(call, "", result < 0 ? Errno.EINVAL : result);
        }
    }
}
