package layerfd.server.store.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** File names of big-data items: containers-storage's {@code makeBigDataBaseName} (containers-storage.md §2.3). */
public final class BigDataNames {
    private BigDataNames() {}

    /** The key itself when every character is in [a-z0-9.], else "=" + padded standard base64 of its bytes. */
    public static String baseName(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.';
            if (!plain) {
                return "=" + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
            }
        }
        return key;
    }

    /**
     * Whether a {@link #baseName} is one file name in the image's directory. Go never writes an item whose name is
     * not (its write would fail), but a hostile record can list such a key: ".." is plain, and standard base64 may
     * contain '/'. Reading one would leave the image's directory.
     */
    public static boolean isFileName(String baseName) {
        return !baseName.isEmpty() && !baseName.equals(".") && !baseName.equals("..") && baseName.indexOf('/') < 0;
    }
}
