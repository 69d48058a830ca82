package layerfd.protocol.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.List;
import java.util.Objects;
import layerfd.linux.OwnedFd;

/** A message with a method and no {@code id}: nobody answers it. {@code params} is {@link MissingNode} if absent. */
public record Notification(String method, JsonNode params, List<OwnedFd> fds) implements JsonRpcMessage {
    public Notification {
        Objects.requireNonNull(method, "method");
        params = params == null ? MissingNode.getInstance() : params;
        fds = List.copyOf(fds);
    }

    public boolean hasParams() {
        return !params.isMissingNode();
    }
}
