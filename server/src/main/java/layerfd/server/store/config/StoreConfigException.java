package layerfd.server.store.config;

import java.io.Serial;

/**
 * Store discovery failed: a configuration file is missing, unreadable or malformed, a key has the wrong type, or the
 * configured driver is one layerfd cannot read. The message names the file (and line or key) and says why.
 */
public final class StoreConfigException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    public StoreConfigException(String message) {
        super(message);
    }

    public StoreConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
