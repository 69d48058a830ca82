package layerfd.protocol.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A request failed: becomes exactly one error response, and the connection stays open (api-contract §3.5). The
 * message is shown to the caller, so it says what failed and which id, never a stack trace.
 */
public final class RpcException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int code;
    private final transient JsonNode data;

    public RpcException(int code, String message) {
        this(code, message, null);
    }

    public RpcException(int code, String message, JsonNode data) {
        super(message);
        this.code = code;
        this.data = data;
    }

    public int code() {
        return code;
    }

    public RpcError toError() {
        return new RpcError(code, getMessage(), data);
    }
}
