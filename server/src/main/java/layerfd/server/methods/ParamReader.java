package layerfd.server.methods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import layerfd.protocol.jsonrpc.ErrorCodes;
import layerfd.protocol.jsonrpc.Request;
import layerfd.protocol.jsonrpc.RpcException;

/**
 * A request's params object, read key by key with -32602 errors that name the method and the key. Keys this server
 * does not know are ignored: consumers send extras (docs/protocol.md "Methods").
 */
final class ParamReader {
    private final String method;
    private final ObjectNode params;

    private ParamReader(String method, ObjectNode params) {
        this.method = method;
        this.params = params;
    }

    /** The params of {@code request}; absent or null params are an empty object, an array is refused. */
    static ParamReader of(Request request) throws RpcException {
        JsonNode params = request.params();
        if (params.isMissingNode() || params.isNull()) {
            return new ParamReader(request.method(), JsonNodeFactory.instance.objectNode());
        }
        if (!params.isObject()) {
            throw new RpcException(ErrorCodes.INVALID_PARAMS, request.method() + ": params must be an object, got "
                    + params.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return new ParamReader(request.method(), (ObjectNode) params);
    }

    String method() {
        return method;
    }

    /** A required, non-empty string. */
    String requiredString(String key) throws RpcException {
        return optionalString(key).orElseThrow(() -> invalid(key + " is required (a non-empty string)"));
    }

    /** A string that may be absent, null or "" (all three mean "not given", as upstream's Go server treats ""). */
    Optional<String> optionalString(String key) throws RpcException {
        JsonNode value = params.get(key);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw invalid(key + " must be a string, got " + value);
        }
        return value.textValue().isEmpty() ? Optional.empty() : Optional.of(value.textValue());
    }

    boolean optionalBoolean(String key, boolean absent) throws RpcException {
        JsonNode value = params.get(key);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (!value.isBoolean()) {
            throw invalid(key + " must be true or false, got " + value);
        }
        return value.booleanValue();
    }

    /** A required integer in {@code min..max}. */
    int requiredInt(String key, int min, int max) throws RpcException {
        JsonNode value = params.get(key);
        if (value == null || value.isNull()) {
            throw invalid(key + " is required (an integer " + min + ".." + max + ")");
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < min
                || value.longValue() > max) {
            throw invalid(key + " must be an integer " + min + ".." + max + ", got " + value);
        }
        return (int) value.longValue();
    }

    /** A -32602 error naming the method. */
    RpcException invalid(String what) {
        return new RpcException(ErrorCodes.INVALID_PARAMS, method + ": " + what);
    }
}
