package layerfd.client.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A file's extents as {@code filefrag -v} (FIEMAP) reports them: the evidence that a reflink shares blocks. */
public final class Extents {
    /** "   0:        0..   16383:         24..     16407:  16384:             last,shared,eof" */
    private static final Pattern EXTENT = Pattern.compile("^\\s*\\d+:\\s+\\d+\\.\\.\\s*\\d+:.*?(\\S*)$");

    private Extents() {}

    /** One flags string per extent ("last,shared,eof"), in file order. */
    public static List<String> flags(Path file) {
        List<String> flags = new ArrayList<>();
        for (String line : Processes.check("filefrag", "-v", file.toString()).split("\n")) {
            Matcher m = EXTENT.matcher(line);
            if (m.matches()) {
                flags.add(line.trim());
            }
        }
        return flags;
    }

    /** true when the file has extents and every one of them carries the FIEMAP_EXTENT_SHARED flag. */
    public static boolean allShared(Path file) {
        List<String> lines = flags(file);
        return !lines.isEmpty() && lines.stream().allMatch(l -> l.matches(".*\\bshared\\b.*"));
    }

    /** true when at least one extent carries the shared flag. */
    public static boolean anyShared(Path file) {
        return flags(file).stream().anyMatch(l -> l.matches(".*\\bshared\\b.*"));
    }
}
