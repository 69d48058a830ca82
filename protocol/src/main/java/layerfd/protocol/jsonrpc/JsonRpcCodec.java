package layerfd.protocol.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import layerfd.protocol.fdpass.FdpassFrame;
import layerfd.protocol.fdpass.internal.FdpassJson;

/**
 * Frames to JSON-RPC messages and back. Classification follows jsonrpc-fdpass brief §7 (the same in the Rust and
 * Go peers): method + id (also {@code "id":null}) is a request; otherwise result or error is a response;
 * otherwise method alone is a notification; anything else is invalid.
 */
public final class JsonRpcCodec {
    private static final String VERSION = "2.0";

    private JsonRpcCodec() {}

    /** The message of {@code frame}, which hands it its fds; on failure the frame's fds are closed. */
    public static JsonRpcMessage decode(FdpassFrame frame) throws InvalidMessageException {
        try {
            return classify(frame);
        } catch (InvalidMessageException e) {
            frame.close();
            throw e;
        }
    }

    private static JsonRpcMessage classify(FdpassFrame frame) throws InvalidMessageException {
        ObjectNode json = frame.json();
        JsonNode method = json.get("method");
        JsonNode id = json.get("id");
        if (method != null && id != null) {
            JsonNode replyId = isValidId(id) ? id : null;
            requireVersion(json, replyId, true);
            if (replyId == null) {
                throw new InvalidMessageException("Invalid request: id must be a string, a number or null, got "
                        + id, null, true);
            }
            return new Request(id, requireMethod(method, id), params(json, id), frame.takeFds());
        }
        if (json.has("result") || json.has("error")) {
            JsonNode responseId = id != null && isValidId(id) ? id : null;
            requireVersion(json, responseId, false);
            if (responseId == null) {
                throw new InvalidMessageException("Invalid response: id missing or not a string, number or null",
                        null, false);
            }
            return response(json, responseId, frame);
        }
        if (method != null) {
            requireVersion(json, null, true);
            return new Notification(requireMethod(method, null), params(json, null), frame.takeFds());
        }
        throw new InvalidMessageException("Invalid request: an object with none of method, result and error",
                null, true);
    }

    private static Response response(ObjectNode json, JsonNode id, FdpassFrame frame)
            throws InvalidMessageException {
        JsonNode result = json.get("result");
        JsonNode error = json.get("error");
        if (result != null && error != null) {
            throw new InvalidMessageException("Invalid response " + id + ": both result and error", id, false);
        }
        if (result != null) {
            return Response.success(id, result, frame.takeFds());
        }
        JsonNode code = error.get("code");
        JsonNode message = error.get("message");
        if (!error.isObject() || code == null || !code.isIntegralNumber() || !code.canConvertToInt()
                || message == null || !message.isTextual()) {
            throw new InvalidMessageException("Invalid response " + id
                    + ": error must be an object with an integer code and a string message, got " + error, id, false);
        }
        return new Response(id, null, new RpcError(code.intValue(), message.textValue(), error.get("data")),
                frame.takeFds());
    }

    /** JSON-RPC 2.0 §4: "jsonrpc" MUST be exactly "2.0". The Rust and Go peers always send it. */
    private static void requireVersion(ObjectNode json, JsonNode id, boolean answerable)
            throws InvalidMessageException {
        JsonNode version = json.get("jsonrpc");
        if (version == null || !VERSION.equals(version.textValue())) {
            throw new InvalidMessageException("Invalid request: \"jsonrpc\" must be \"2.0\", got "
                    + (version == null ? "nothing" : version.toString()), id, answerable);
        }
    }

    private static String requireMethod(JsonNode method, JsonNode id) throws InvalidMessageException {
        if (!method.isTextual()) {
            throw new InvalidMessageException("Invalid request: method must be a string, got " + method, id, true);
        }
        return method.textValue();
    }

    /**
     * JSON-RPC 2.0 §4.2: params, if present, is an object or an array. {@code "params":null} is read as absent:
     * it carries no parameters either, and a peer serialising an empty optional that way should still be served.
     */
    private static JsonNode params(ObjectNode json, JsonNode id) throws InvalidMessageException {
        JsonNode params = json.get("params");
        if (params == null || params.isNull()) {
            return null;
        }
        if (!params.isObject() && !params.isArray()) {
            throw new InvalidMessageException("Invalid request: params must be an object or an array, got "
                    + params, id, true);
        }
        return params;
    }

    /** JSON-RPC 2.0 §4: an id is a string, a number or null. */
    private static boolean isValidId(JsonNode id) {
        return id.isTextual() || id.isNumber() || id.isNull();
    }

    /** The JSON of {@code message} without {@code "fds"} (the sender adds it from the fds it is given). */
    public static ObjectNode encode(JsonRpcMessage message) {
        ObjectNode json = FdpassJson.NODES.objectNode().put("jsonrpc", VERSION);
        switch (message) {
            case Request r -> {
                json.put("method", r.method());
                if (r.hasParams()) {
                    json.set("params", r.params());
                }
                json.set("id", r.id());
            }
            case Notification n -> {
                json.put("method", n.method());
                if (n.hasParams()) {
                    json.set("params", n.params());
                }
            }
            case Response r -> {
                if (r.isError()) {
                    ObjectNode error = json.putObject("error");
                    error.put("code", r.error().code()).put("message", r.error().message());
                    if (r.error().hasData()) {
                        error.set("data", r.error().data());
                    }
                } else {
                    // Never omitted, also when null: a response without result is invalid (brief §7, Go's bug).
                    json.set("result", r.result());
                }
                json.set("id", r.id());
            }
        }
        return json;
    }
}
