package layerfd.helper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A small vfs-shaped graph root in a temp dir: two layer content directories (upper, lower) with a regular file, a
 * mode 0000 file, a file only in the lower layer, a symlink, a FIFO and a directory, plus a secret outside the root.
 */
record TestGraphRoot(Path root, Path upper, Path lower, Path outside) {
    static final String UPPER_ID = "a".repeat(64);
    static final String LOWER_ID = "b".repeat(64);

    static TestGraphRoot create(Path dir) throws IOException, InterruptedException {
        Path root = Files.createDirectories(dir.resolve("graph"));
        Path upper = Files.createDirectories(root.resolve("vfs/dir/" + UPPER_ID));
        Path lower = Files.createDirectories(root.resolve("vfs/dir/" + LOWER_ID));
        Files.createDirectories(upper.resolve("etc"));
        Files.writeString(upper.resolve("etc/hello"), "hello upper\n");
        Files.writeString(lower.resolve("etc-lower-only"), "lower\n");
        Files.writeString(lower.resolve("hello-both"), "lower copy\n");
        Files.writeString(upper.resolve("hello-both"), "upper copy\n");
        Path shadow = Files.writeString(upper.resolve("etc/shadow"), "root:*:19000\n");
        Files.setPosixFilePermissions(shadow, PosixFilePermissions.fromString("---------"));
        Path outside = Files.writeString(dir.resolve("outside-secret"), "not yours\n");
        Files.createSymbolicLink(upper.resolve("escape"), outside);
        Files.createSymbolicLink(upper.resolve("relative-link"), Path.of("etc/hello"));
        Files.createDirectories(upper.resolve("a-directory"));
        Process mkfifo = new ProcessBuilder("mkfifo", upper.resolve("fifo").toString()).inheritIO().start();
        if (mkfifo.waitFor() != 0) {
            throw new IOException("mkfifo failed");
        }
        return new TestGraphRoot(root, upper, lower, outside);
    }

    List<Path> chain() {
        return List.of(upper, lower);
    }

    static byte[] name(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
