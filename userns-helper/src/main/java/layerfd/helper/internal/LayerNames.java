package layerfd.helper.internal;

/**
 * The names the helper accepts: relative paths already cleaned by the server (tarsplit LayerPath.clean): no leading
 * {@code /}, no empty, {@code .} or {@code ..} component, no NUL. The helper does not clean names itself; anything
 * else is refused, so a bug or an attack on the server side cannot widen what the helper opens.
 */
final class LayerNames {
    private static final byte SLASH = '/';
    private static final byte DOT = '.';

    private LayerNames() {}

    /** Why {@code name} is refused, or null when it is clean. */
    static String problem(byte[] name) {
        if (name.length == 0) {
            return "empty name";
        }
        int start = 0;
        for (int i = 0; i <= name.length; i++) {
            if (i < name.length && name[i] == 0) {
                return "NUL byte in name";
            }
            if (i == name.length || name[i] == SLASH) {
                int length = i - start;
                if (length == 0) {
                    return start == 0 ? "absolute name" : "empty component (\"//\" or trailing \"/\")";
                }
                if (length == 1 && name[start] == DOT) {
                    return "\".\" component";
                }
                if (length == 2 && name[start] == DOT && name[start + 1] == DOT) {
                    return "\"..\" component";
                }
                start = i + 1;
            }
        }
        return null;
    }
}
