package layerfd.client.fuzz;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything observable about a directory tree except one excluded subtree: per entry its type, mode, owner, size,
 * mtime, link count, symlink target and file content. Symlinks are never followed. Two equal snapshots mean nothing
 * in the tree was created, removed, written, linked to or changed.
 */
final class SandboxSnapshot {
    private static final String ATTRIBUTES = "unix:mode,uid,gid,size,lastModifiedTime,nlink,ino";

    private SandboxSnapshot() {}

    /** The snapshot of {@code root}, leaving out {@code excluded} and everything beneath it. */
    static Map<String, String> of(Path root, Path excluded) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (dir.equals(excluded)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                entries.put(root.relativize(dir).toString(), describe(dir));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!file.equals(excluded)) {
                    entries.put(root.relativize(file).toString(), describe(file));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return entries;
    }

    private static String describe(Path p) throws IOException {
        String attributes = new TreeMap<>(Files.readAttributes(p, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS)).toString();
        if (Files.isSymbolicLink(p)) {
            return attributes + " -> " + Files.readSymbolicLink(p);
        }
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return attributes + " " + HexFormat.of().formatHex(Files.readAllBytes(p));
        }
        return attributes;
    }
}
