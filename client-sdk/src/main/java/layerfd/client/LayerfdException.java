package layerfd.client;

import java.io.IOException;

/**
 * The server answered a call with a JSON-RPC error (api-contract.md §3.5): {@link #code()} says which kind
 * (-32001 image not found, -32004 ambiguous prefix, ...), the message says what and which id.
 */
public final class LayerfdException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int code;
    private final String method;

    public LayerfdException(String method, int code, String message) {
        super(method + ": " + message + " (" + code + ")");
        this.method = method;
        this.code = code;
    }

    public int code() {
        return code;
    }

    public String method() {
        return method;
    }
}
