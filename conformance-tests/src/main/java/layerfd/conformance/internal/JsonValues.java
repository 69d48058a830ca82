package layerfd.conformance.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * JSON equality by value (RFC 8259 §6: a number is its value, not its spelling): 2.5, 2.50 and 25e-1 are equal,
 * whatever node types a parser picked; object key order does not matter; a string never equals a number.
 */
public final class JsonValues {
    private JsonValues() {}

    public static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.getNodeType() != b.getNodeType()) {
            return false;
        }
        if (a.isArray()) {
            return sameElements(a, b);
        }
        if (a.isObject()) {
            return sameFields(a, b);
        }
        return a.equals(b);
    }

    private static boolean sameElements(JsonNode a, JsonNode b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!same(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameFields(JsonNode a, JsonNode b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Map.Entry<String, JsonNode> field : a.properties()) {
            JsonNode other = b.get(field.getKey());
            if (other == null || !same(field.getValue(), other)) {
                return false;
            }
        }
        return true;
    }
}
