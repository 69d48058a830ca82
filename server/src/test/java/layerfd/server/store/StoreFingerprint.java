package layerfd.server.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Everything about a store tree that a write would change: every entry's relative name, type, permissions, size and
 * mtime (nanoseconds), plus the contents of every JSON and lock file. Read lock files only while this process holds
 * no lock on them (closing any descriptor of a locked file would drop the lock).
 */
public final class StoreFingerprint {
    private StoreFingerprint() {}

    public static Map<String, String> of(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String kind = a.isDirectory() ? "d" : a.isSymbolicLink() ? "l" : a.isRegularFile() ? "f" : "o";
                String entry = kind + " " + a.permissions() + " " + a.size() + " " + a.lastModifiedTime().toInstant();
                String name = p.getFileName() == null ? "" : p.getFileName().toString();
                if (a.isRegularFile() && (name.endsWith(".json") || name.endsWith(".lock"))) {
                    entry += " " + sha256(p);
                }
                if (a.isSymbolicLink()) {
                    entry += " -> " + Files.readSymbolicLink(p);
                }
                out.put(root.relativize(p).toString(), entry);
            }
        }
        return out;
    }

    private static String sha256(Path p) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
