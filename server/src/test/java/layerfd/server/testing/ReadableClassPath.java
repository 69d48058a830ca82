package layerfd.server.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import layerfd.server.store.Fixtures;

/**
 * This JVM's class path copied where an unprivileged user (and the userns helper in its namespace) can read it:
 * the build tree under /root is 0700.
 */
public final class ReadableClassPath {
    private ReadableClassPath() {}

    /** Copies every class path entry into {@code dir}/cp, makes it world-readable, returns the new class path. */
    public static String copyInto(Path dir) throws IOException {
        Path copy = Files.createDirectories(dir.resolve("cp"));
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path source = Path.of(entry);
            if (!Files.exists(source)) {
                continue;
            }
            Path target = copy.resolve(String.format("%03d-%s", n++, source.getFileName()));
            if (Files.isDirectory(source)) {
                Fixtures.run(dir, "cp", "-a", source.toString(), target.toString());
            } else {
                Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            }
            entries.add(target.toString());
        }
        Fixtures.run(dir, "chmod", "-R", "a+rX", copy.toString());
        return String.join(File.pathSeparator, entries);
    }
}
