package layerfd.server.stream;

import java.io.IOException;

/** Serving a request would pass a configured resource limit (api-contract §3.5: -32006); the message names it. */
public final class LimitExceededException extends IOException {
    private static final long serialVersionUID = 1L;

    public LimitExceededException(String message) {
        super(message);
    }
}
