package layerfd.protocol.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * A frame that is valid JSON but no valid JSON-RPC 2.0 message. Not fatal: a request-like message is answered with
 * one -32600 error ({@link #answerable()}), a broken response fails the call with its id, if any.
 */
public final class InvalidMessageException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient JsonNode id;
    private final boolean answerable;

    InvalidMessageException(String message, JsonNode id, boolean answerable) {
        super(message);
        this.id = id == null ? NullNode.getInstance() : id;
        this.answerable = answerable;
    }

    /** The id to answer with or to fail: the message's own id if it was a valid id, else JSON null. */
    public JsonNode id() {
        return id;
    }

    /** true: answer with a -32600 error response; false: the message was a response and gets no answer. */
    public boolean answerable() {
        return answerable;
    }
}
