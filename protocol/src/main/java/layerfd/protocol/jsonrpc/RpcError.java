package layerfd.protocol.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Objects;

/** A JSON-RPC 2.0 error object; {@code data} is {@link MissingNode} when absent. Codes: {@link ErrorCodes}. */
public record RpcError(int code, String message, JsonNode data) {
    public RpcError {
        Objects.requireNonNull(message, "message");
        data = data == null ? MissingNode.getInstance() : data;
    }

    public RpcError(int code, String message) {
        this(code, message, null);
    }

    public boolean hasData() {
        return !data.isMissingNode();
    }
}
