package layerfd.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The effective uid and gid of this process, from /proc/self/status (the JDK has no portable call for them). */
public final class Credentials {
    private static final Path STATUS = Path.of("/proc/self/status");

    private Credentials() {}

    public static long effectiveUid() {
        return effective("Uid:");
    }

    public static long effectiveGid() {
        return effective("Gid:");
    }

    /** "Uid:\treal\teffective\tsaved\tfs": the second number is the effective id. */
    private static long effective(String key) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[1]);
                }
            }
            throw new IllegalStateException(STATUS + " has no " + key + " line");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
