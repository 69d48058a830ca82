package layerfd.server.store.internal;

import java.io.ByteArrayOutputStream;
import layerfd.linux.Open;
import layerfd.server.store.StoreException;
import layerfd.server.store.StoreException.Kind;

/**
 * Turns a tar-split file name (bytes, possibly not UTF-8) into a path relative to a diff root. Tar names may start
 * with "./" or "/" (containers-storage.md §7 "Path safety"); those are dropped, as are empty and "." components.
 * Any ".." component is refused outright rather than resolved: a layer has no business naming its parent.
 */
public final class LayerPaths {
    private LayerPaths() {}

    public static byte[] clean(byte[] name, String layerId) throws StoreException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(name.length);
        int start = 0;
        for (int i = 0; i <= name.length; i++) {
            if (i < name.length && name[i] == 0) {
                throw refused(name, layerId, "it contains a NUL byte");
            }
            if (i == name.length || name[i] == '/') {
                int len = i - start;
                boolean dot = len == 1 && name[start] == '.';
                boolean dotDot = len == 2 && name[start] == '.' && name[start + 1] == '.';
                if (dotDot) {
                    throw refused(name, layerId, "it has a '..' component");
                }
                if (len > 0 && !dot) {
                    if (out.size() > 0) {
                        out.write('/');
                    }
                    out.write(name, start, len);
                }
                start = i + 1;
            }
        }
        if (out.size() == 0) {
            throw refused(name, layerId, "it names the layer root, not a file");
        }
        return out.toByteArray();
    }

    private static StoreException refused(byte[] name, String layerId, String why) {
        return new StoreException(Kind.IO_OR_INTEGRITY, "refusing file '" + Open.printable(name) + "' of layer "
                + layerId + ": " + why);
    }
}
