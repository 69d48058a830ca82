package layerfd.helper;

import java.io.IOException;

/** The userns helper cannot be started, died, or refused a request; the message says which and why. */
public final class HelperException extends IOException {
    private static final long serialVersionUID = 1L;

    public HelperException(String message) {
        super(message);
    }

    public HelperException(String message, Throwable cause) {
        super(message, cause);
    }
}
