package layerfd.protocol.fdpass.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import layerfd.protocol.fdpass.FramingException;

/**
 * The top-level {@code "fds"} field (README §3.2): absent means 0, otherwise a non-negative integer. The spec leaves
 * other values undefined and the peers disagree (Rust reads them as 0, Go truncates 1.5 to 1 and panics on -1,
 * brief §9), so anything else is a framing error naming the value.
 */
public final class FdCountField {
    public static final String KEY = "fds";

    private FdCountField() {}

    public static int read(ObjectNode message) throws FramingException {
        JsonNode value = message.get(KEY);
        if (value == null) {
            return 0;
        }
        if (!value.isIntegralNumber()) {
            throw new FramingException("\"fds\" must be a non-negative integer, got " + value);
        }
        if (value.bigIntegerValue().signum() < 0) {
            throw new FramingException("\"fds\" must not be negative, got " + value);
        }
        if (!value.canConvertToInt()) {
            throw new FramingException("\"fds\" is too large, got " + value);
        }
        return value.intValue();
    }
}
