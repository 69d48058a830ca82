package layerfd.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The open descriptors of this process, from /proc/self/fd: the evidence behind every "no fd leaked" assertion. */
public final class OpenFds {
    private static final Path FD_DIR = Path.of("/proc/self/fd");

    private OpenFds() {}

    /**
     * The open descriptors, less the one the listing itself used: it is closed again by the time this returns, and
     * its number (the lowest free one) differs from call to call, so it must not count as open.
     */
    public static TreeSet<Integer> snapshot() {
        TreeSet<Integer> fds = new TreeSet<>();
        try (Stream<Path> entries = Files.list(FD_DIR)) {
            entries.forEach(p -> fds.add(Integer.parseInt(p.getFileName().toString())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        fds.removeIf(fd -> !Files.exists(FD_DIR.resolve(Integer.toString(fd)), LinkOption.NOFOLLOW_LINKS));
        return fds;
    }

    public static int count() {
        return snapshot().size();
    }

    /**
     * Fails unless every descriptor open now was already open in {@code before} (after waiting briefly for
     * descriptors being closed on other threads). Compares sets, not counts: the JVM may close one of its own
     * descriptors during a test (a finished child process's pipe, say), which is not a leak and must not hide one.
     */
    public static void assertNoneNew(TreeSet<Integer> before, String what) throws InterruptedException {
        TreeSet<Integer> added = added(before);
        // Up to 5 s: a peer's connection threads may still be closing under load on a 2-core machine.
        for (int i = 0; i < 250 && !added.isEmpty(); i++) {
            Thread.sleep(20);
            added = added(before);
        }
        if (!added.isEmpty()) {
            StringBuilder targets = new StringBuilder();
            for (int fd : added) {
                targets.append("\n  ").append(fd).append(" -> ").append(target(fd));
            }
            throw new AssertionError("descriptors leaked by " + what + ":" + targets);
        }
    }

    private static TreeSet<Integer> added(TreeSet<Integer> before) {
        TreeSet<Integer> now = snapshot();
        now.removeAll(before);
        return now;
    }

    private static String target(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (IOException e) {
            return "(closed meanwhile)";
        }
    }

    /**
     * Waits briefly for the count to come back to {@code baseline} (the JVM and junixsocket close some descriptors
     * on background threads) and returns the final count.
     */
    public static int settle(int baseline) throws InterruptedException {
        int now = count();
        for (int i = 0; i < 50 && now > baseline; i++) {
            Thread.sleep(20);
            now = count();
        }
        return now;
    }
}
