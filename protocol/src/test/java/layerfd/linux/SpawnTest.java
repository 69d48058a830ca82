package layerfd.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import layerfd.testing.OpenFds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpawnTest {
    private static final long TIMEOUT_SECONDS = 30;
    /** Long enough for a parent-death signal to have been delivered had it fired. */
    private static final long PDEATHSIG_GRACE_MILLIS = 300;
    private static final List<String> ENV = List.of("PATH=/usr/bin:/bin");

    @Test
    void socketBecomesTheChildsStdin(@TempDir Path dir) throws Exception {
        int before = OpenFds.count();
        List<OwnedFd> pair = SocketPair.openStream();
        try (OwnedFd ours = pair.get(0); OwnedFd theirs = pair.get(1)) {
            long inode = FileIo.stat(theirs.get()).inode();
            String out = run(dir, List.of("sh", "-c", "readlink /proc/self/fd/0"), ENV, new Spawn.Redirect(0, theirs));
            assertEquals("socket:[" + inode + "]\n", out);
        }
        assertEquals(before, OpenFds.settle(before));
    }

    @Test
    void childSeesOnlyTheEnvironmentGiven(@TempDir Path dir) throws Exception {
        assertEquals("A=1\nB=two words\n", run(dir, List.of("/usr/bin/env"), List.of("A=1", "B=two words")));
    }

    @Test
    void childInheritsNoOtherDescriptor(@TempDir Path dir) throws Exception {
        // A descriptor without close-on-exec: addclosefrom_np must still keep it from the child.
        try (OwnedFd leaky = Open.open("/dev/null", Open.O_RDONLY, 0)) {
            assertFalse(Fcntl.isCloseOnExec(leaky.get()));
            // ls itself opens one directory descriptor (3) to list /proc/self/fd; nothing else beyond 0-2.
            assertEquals("0\n1\n2\n3\n", run(dir, List.of("ls", "/proc/self/fd"), ENV),
                    "leaky fd " + leaky.get() + " reached the child");
        }
    }

    @Test
    void exitCodeAndSignalAreReported() throws Exception {
        ChildProcess exits = Spawn.spawn(List.of("sh", "-c", "exit 7"), ENV, List.of());
        assertEquals(7, exits.onExit().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        ChildProcess sleeps = Spawn.spawn(List.of("sleep", "600"), ENV, List.of());
        assertTrue(sleeps.isAlive());
        assertTrue(sleeps.signal(Prctl.SIGKILL));
        assertEquals(ChildProcess.SIGNALED_BASE + Prctl.SIGKILL, sleeps.onExit().get(TIMEOUT_SECONDS,
                TimeUnit.SECONDS));
        assertFalse(sleeps.signal(Prctl.SIGKILL), "an exited child is not signalled again");
    }

    @Test
    void reapedChildLeavesNoZombie() throws Exception {
        ChildProcess child = Spawn.spawn(List.of("true"), ENV, List.of());
        child.onExit().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertFalse(Files.exists(Path.of("/proc/" + child.pid())), "pid " + child.pid() + " still in /proc");
    }

    @Test
    void parentDeathSignalOfTheChildIsTiedToItsReaperThreadNotTheCaller(@TempDir Path dir) throws Exception {
        // A child that asks for SIGKILL on parent death (as the helper does) must survive the caller's thread.
        ChildProcess[] child = new ChildProcess[1];
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                child[0] = Spawn.spawn(List.of("setpriv", "--pdeathsig", "KILL", "--", "sleep", "600"), ENV,
                        List.of());
            } catch (LinuxException e) {
                throw new IllegalStateException(e);
            }
        });
        caller.join();
        Thread.sleep(PDEATHSIG_GRACE_MILLIS);
        assertTrue(child[0].isAlive(), "the child died with the thread that asked for it");
        assertTrue(child[0].signal(Prctl.SIGKILL));
        assertEquals(ChildProcess.SIGNALED_BASE + Prctl.SIGKILL, child[0].onExit().get(TIMEOUT_SECONDS,
                TimeUnit.SECONDS));
    }

    @Test
    void missingProgramIsEnoent() {
        LinuxException e = assertThrows(LinuxException.class,
                () -> Spawn.spawn(List.of("/nonexistent/layerfd-no-such-program"), ENV, List.of()));
        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(e.getMessage().contains("/nonexistent/layerfd-no-such-program"), e.getMessage());
    }

    @Test
    void stderrRedirectedToAFile(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("err");
        try (OwnedFd file = Open.open(log.toString(), Open.O_WRONLY | Open.O_CREAT | Open.O_CLOEXEC, 0600)) {
            ChildProcess child = Spawn.spawn(List.of("sh", "-c", "echo oops >&2"), ENV,
                    List.of(new Spawn.Redirect(2, file)));
            assertEquals(0, child.onExit().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
        assertArrayEquals("oops\n".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(log));
    }

    /** Runs {@code argv} with its stdout in a file and returns what it wrote; it must exit 0. */
    private static String run(Path dir, List<String> argv, List<String> env, Spawn.Redirect... more)
            throws Exception {
        Path out = dir.resolve("out");
        try (OwnedFd file = Open.open(out.toString(), Open.O_WRONLY | Open.O_CREAT | Open.O_TRUNC | Open.O_CLOEXEC,
                0600)) {
            List<Spawn.Redirect> redirects = new java.util.ArrayList<>(List.of(more));
            redirects.add(new Spawn.Redirect(1, file));
            ChildProcess child = Spawn.spawn(argv, env, redirects);
            assertEquals(0, child.onExit().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
        return Files.readString(out);
    }
}
