package layerfd.protocol.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.List;
import java.util.Objects;
import layerfd.linux.OwnedFd;

/**
 * The answer to a {@link Request}: exactly one of {@code result} (JSON null is {@link NullNode}, written
 * {@code "result":null}) and {@code error} is non-null. {@code id} echoes the request's id.
 */
public record Response(JsonNode id, JsonNode result, RpcError error, List<OwnedFd> fds) implements JsonRpcMessage {
    public Response {
        Objects.requireNonNull(id, "id (use NullNode for a null id)");
        if ((result == null) == (error == null)) {
            throw new IllegalArgumentException("a response has exactly one of result and error");
        }
        fds = List.copyOf(fds);
    }

    public static Response success(JsonNode id, JsonNode result, List<OwnedFd> fds) {
        return new Response(id, result == null ? NullNode.getInstance() : result, null, fds);
    }

    public static Response failure(JsonNode id, RpcError error) {
        return new Response(id, null, error, List.of());
    }

    public boolean isError() {
        return error != null;
    }
}
