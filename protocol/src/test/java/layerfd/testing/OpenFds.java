package layerfd.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The open descriptors of this process, from /proc/self/fd: the evidence behind every "no fd leaked" assertion. */
public final class OpenFds {
    private OpenFds() {}

    public static TreeSet<Integer> snapshot() {
        try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
            TreeSet<Integer> fds = new TreeSet<>();
            entries.forEach(p -> fds.add(Integer.parseInt(p.getFileName().toString())));
            return fds;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int count() {
        return snapshot().size();
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
