package layerfd.client.objects;

import java.io.IOException;

/**
 * An import, fsck or repair could not be done. The message names the image, layer, entry or object concerned and
 * what was wrong; a cause from the layer reader ({@link layerfd.client.apply.ApplyException}) is kept.
 */
public final class ObjectStoreException extends IOException {
    private static final long serialVersionUID = 1L;

    public ObjectStoreException(String message) {
        super(message);
    }

    public ObjectStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
