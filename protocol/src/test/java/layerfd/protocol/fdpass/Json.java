package layerfd.protocol.fdpass;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import layerfd.protocol.fdpass.internal.FdpassJson;

/** JSON literals for tests, parsed with the wire configuration. */
public final class Json {
    private Json() {}

    public static ObjectNode object(String json) {
        try {
            return (ObjectNode) FdpassJson.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
