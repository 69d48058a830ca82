package layerfd.protocol.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.List;
import java.util.Objects;
import layerfd.linux.OwnedFd;

/**
 * A call that expects a response. {@code id} is kept exactly as received (string, number or null) and echoed
 * unchanged; {@code params} is an object, an array, or {@link MissingNode} when absent.
 */
public record Request(JsonNode id, String method, JsonNode params, List<OwnedFd> fds) implements JsonRpcMessage {
    public Request {
        Objects.requireNonNull(id, "id (use NullNode for a null id)");
        Objects.requireNonNull(method, "method");
        params = params == null ? MissingNode.getInstance() : params;
        fds = List.copyOf(fds);
    }

    public boolean hasParams() {
        return !params.isMissingNode();
    }
}
