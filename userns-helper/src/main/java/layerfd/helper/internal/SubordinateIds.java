package layerfd.helper.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Whether a user has a subordinate id range in {@code /etc/subuid} / {@code /etc/subgid} (subuid(5): lines
 * {@code user-or-uid:first:count}). Rootless podman needs both to map the image's uids; without them
 * {@code podman unshare} fails with an obscure newuidmap message, so the launcher checks first.
 */
public final class SubordinateIds {
    public static final Path SUBUID = Path.of("/etc/subuid");
    public static final Path SUBGID = Path.of("/etc/subgid");
    private static final int FIELDS = 3;

    private SubordinateIds() {}

    /** True if {@code file} grants {@code user} (by name or numeric id) a non-empty range. */
    public static boolean hasRange(Path file, String user, long id) throws IOException {
        try {
            return hasRange(Files.readString(file), user, id);
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** The same from the file's text. */
    public static boolean hasRange(String text, String user, long id) {
        for (String line : text.split("\n")) {
            String[] fields = line.trim().split(":");
            if (fields.length != FIELDS || !(fields[0].equals(user) || fields[0].equals(Long.toString(id)))) {
                continue;
            }
            try {
                if (Long.parseLong(fields[1]) >= 0 && Long.parseLong(fields[2]) > 0) {
                    return true;
                }
            } catch (NumberFormatException e) {
                // not a range line; subuid(5) readers skip such lines too
            }
        }
        return false;
    }
}
