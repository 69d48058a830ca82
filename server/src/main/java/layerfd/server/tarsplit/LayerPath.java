package layerfd.server.tarsplit;

import java.io.ByteArrayOutputStream;
import layerfd.linux.Open;

/**
 * Turns a tar-split name into a path relative to a layer directory. Tar names may start with {@code ./} or
 * {@code /} and may carry {@code //}, {@code /./} or a trailing {@code /} (containers-storage brief §7, "Path
 * safety"); those are cleaned away as Go's {@code filepath.Clean} would. A {@code ..} component is refused rather
 * than resolved, so no cleaned name can leave the layer, and so can a NUL byte and a name that is the layer root.
 * Symlinks are not a matter for lexical cleaning: openers must still resolve with {@code RESOLVE_BENEATH |
 * RESOLVE_NO_SYMLINKS} (see {@link DirectoryFileOpener}).
 */
public final class LayerPath {
    private static final byte SLASH = '/';
    private static final byte DOT = '.';

    private LayerPath() {}

    /** The cleaned relative path bytes: no leading or trailing slash, no empty, {@code .} or {@code ..} part. */
    public static byte[] clean(byte[] name) throws UnsafeLayerPathException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(name.length);
        int start = 0;
        while (start <= name.length) {
            int end = indexOf(name, SLASH, start);
            int length = end - start;
            if (length == 2 && name[start] == DOT && name[start + 1] == DOT) {
                throw new UnsafeLayerPathException("refusing tar-split name " + Open.printable(name)
                        + ": it contains a \"..\" component and could leave the layer directory");
            }
            boolean skip = length == 0 || (length == 1 && name[start] == DOT);
            if (!skip) {
                if (out.size() > 0) {
                    out.write(SLASH);
                }
                for (int i = start; i < end; i++) {
                    if (name[i] == 0) {
                        throw new UnsafeLayerPathException("refusing tar-split name " + Open.printable(name)
                                + ": it contains a NUL byte");
                    }
                }
                out.write(name, start, length);
            }
            start = end + 1;
        }
        if (out.size() == 0) {
            throw new UnsafeLayerPathException("refusing tar-split name \"" + Open.printable(name)
                    + "\": it names the layer directory itself, not a file in it");
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return bytes.length;
    }
}
