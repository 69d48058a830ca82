package layerfd.server.store.config.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Go {@code expandEnvPath} (containers-storage brief §1): {@code $UID} becomes the rootless uid, then {@code $VAR} and
 * {@code ${VAR}} are expanded as Go's {@code os.ExpandEnv} does (unset variables become empty), then symlinks are
 * resolved when the path exists; otherwise the path is only cleaned.
 */
public final class PathExpansion {
    private static final String UID = "$UID";
    /** Go os.Expand: a '$' followed by one of these is a one-character special name. */
    private static final String SPECIAL_NAMES = "*#$@!?-0123456789";

    private PathExpansion() {
    }

    public static Path expand(String path, int rootlessUid, Function<String, String> variables) {
        String withUid = path.replace(UID, Integer.toString(rootlessUid));
        Path expanded = Path.of(expandVariables(withUid, variables)).normalize();
        return resolveSymlinks(expanded);
    }

    /** The real path when it exists (Go {@code filepath.EvalSymlinks}), else the path unchanged. */
    public static Path resolveSymlinks(Path path) {
        if (!Files.exists(path)) {
            return path;
        }
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path;
        }
    }

    static String expandVariables(String s, Function<String, String> variables) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '$' || i + 1 >= s.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = s.charAt(i + 1);
            if (next == '{') {
                int close = s.indexOf('}', i + 2);
                if (close < 0 || close == i + 2) {
                    // Go: bad syntax ("${" without a name or closing brace) is swallowed.
                    i = close < 0 ? s.length() : close + 1;
                    continue;
                }
                out.append(variables.apply(s.substring(i + 2, close)));
                i = close + 1;
            } else if (SPECIAL_NAMES.indexOf(next) >= 0) {
                out.append(variables.apply(String.valueOf(next)));
                i += 2;
            } else if (isNameChar(next)) {
                int end = i + 1;
                while (end < s.length() && isNameChar(s.charAt(end))) {
                    end++;
                }
                out.append(variables.apply(s.substring(i + 1, end)));
                i = end;
            } else {
                // Go: a '$' not followed by a name stays as it is.
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static boolean isNameChar(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
