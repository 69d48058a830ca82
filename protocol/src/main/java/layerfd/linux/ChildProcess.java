package layerfd.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A child started by {@link Spawn}. A daemon platform thread spawns it, then waits for it (a blocking native call
 * would pin a virtual thread's carrier) and reaps it, so it never stays a zombie. Signals are sent only while the child is not
 * yet reaped: the thread first waits without reaping (waitid WNOWAIT), marks the child exited under the lock
 * {@link #signal} takes, and only then reaps, so a signal can never reach a recycled pid.
 */
public final class ChildProcess {
    /** sys/wait.h. */
    private static final int P_PID = 1;
    private static final int WEXITED = 4;
    private static final int WNOWAIT = 0x01000000;
    /** sizeof(siginfo_t) on Linux. */
    private static final long SIGINFO_BYTES = 128;
    /** Shell convention for "killed by signal N": 128 + N. */
    public static final int SIGNALED_BASE = 128;
    private static final int TERM_SIGNAL_MASK = 0x7f;
    private static final int EXIT_CODE_SHIFT = 8;
    private static final int EXIT_CODE_MASK = 0xff;

    private static final MethodHandle WAITID = Libc.function("waitid",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), -1);
    private static final MethodHandle WAITPID = Libc.function("waitpid",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), -1);
    private static final MethodHandle KILL = Libc.function("kill",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), -1);

    private final int pid;
    private final String command;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private boolean exited;

    private ChildProcess(int pid, String command) {
        this.pid = pid;
        this.command = command;
    }

    /** Starts a child with {@code spawn}, run on a new daemon platform thread that then waits for and reaps it. */
    static ChildProcess spawnOnReaperThread(String command, Spawner spawn) throws LinuxException {
        CompletableFuture<ChildProcess> started = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("reaper-" + command).start(() -> {
            ChildProcess child;
            try {
                child = new ChildProcess(spawn.spawn(), command);
            } catch (Throwable t) {
                started.completeExceptionally(t);
                return;
            }
            started.complete(child);
            child.reap();
        });
        try {
            return started.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof LinuxException l) {
                throw l;
            }
            throw Libc.rethrow(e.getCause());
        }
    }

    /** The spawn itself, returning the pid. */
    @FunctionalInterface
    interface Spawner {
        int spawn() throws LinuxException;
    }

    public int pid() {
        return pid;
    }

    /** Completes with the exit status once the child is reaped: its exit code, or 128 + N if signal N ended it. */
    public CompletableFuture<Integer> onExit() {
        return exit;
    }

    public boolean isAlive() {
        synchronized (this) {
            return !exited;
        }
    }

    /** Sends {@code signal} (e.g. {@link Prctl#SIGKILL}); false if the child has already exited. */
    public boolean signal(int signal) throws LinuxException {
        synchronized (this) {
            if (exited) {
                return false;
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = Libc.captureState(arena);
                int r = (int) KILL.invokeExact(state, pid, signal);
                if (r < 0) {
                    throw new LinuxException("kill", pid + ", " + signal, Libc.errno(state));
                }
                return true;
            } catch (LinuxException e) {
                throw e;
            } catch (Throwable t) {
                throw Libc.rethrow(t);
            }
        }
    }

    private void reap() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.captureState(arena);
            MemorySegment info = arena.allocate(SIGINFO_BYTES);
            while ((int) WAITID.invokeExact(state, P_PID, pid, info, WEXITED | WNOWAIT) < 0) {
                if (Libc.errno(state) != Errno.EINTR) {
                    throw new LinuxException("waitid", command + " pid " + pid, Libc.errno(state));
                }
            }
            synchronized (this) {
                exited = true;
            }
            MemorySegment status = arena.allocate(JAVA_INT);
            while ((int) WAITPID.invokeExact(state, pid, status, 0) < 0) {
                if (Libc.errno(state) != Errno.EINTR) {
                    throw new LinuxException("waitpid", command + " pid " + pid, Libc.errno(state));
                }
            }
            exit.complete(decode(status.get(JAVA_INT, 0)));
        } catch (Throwable t) {
            synchronized (this) {
                exited = true;
            }
            exit.completeExceptionally(t);
        }
    }

    /** sys/wait.h: WIFEXITED when the low 7 bits are 0, then WEXITSTATUS; otherwise WTERMSIG. */
    private static int decode(int status) {
        int signal = status & TERM_SIGNAL_MASK;
        return signal == 0 ? status >>> EXIT_CODE_SHIFT & EXIT_CODE_MASK : SIGNALED_BASE + signal;
    }

    @Override
    public String toString() {
        return "ChildProcess(" + command + ", pid " + pid + ")";
    }
}
