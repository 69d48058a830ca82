package layerfd.server.methods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import layerfd.protocol.Methods.Results;
import layerfd.protocol.jsonrpc.ErrorCodes;
import layerfd.protocol.jsonrpc.RpcException;
import layerfd.server.store.ImageRecord;
import layerfd.server.store.LayerRecord;

/** The JSON shapes of image and layer records in results (api-contract §3.1, §3.4). */
final class ImageJson {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ImageJson() {}

    /**
     * Stored manifest or config bytes as a JSON string, unchanged (api-contract §3.1: their digests must still
     * match). Decoded strictly: bytes that are not UTF-8 could not survive the round trip and are refused.
     */
    static String storedText(byte[] bytes, String what) throws RpcException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new RpcException(ErrorCodes.IO_ERROR, what + " is not UTF-8, so it cannot travel as a JSON string "
                    + "unchanged");
        }
    }

    /** {@code config.digest} of a stored image manifest. */
    static String configDigest(byte[] manifest, String imageId) throws RpcException {
        try {
            JsonNode digest = MAPPER.readTree(manifest).path("config").path("digest");
            if (!digest.isTextual()) {
                throw new RpcException(ErrorCodes.IO_ERROR, "manifest of image " + imageId
                        + " names no config digest");
            }
            return digest.textValue();
        } catch (IOException e) {
            throw new RpcException(ErrorCodes.IO_ERROR, "manifest of image " + imageId + " is not JSON: "
                    + e.getMessage());
        }
    }

    /** ListImages entry: {@code {"id","names","digest","topLayer","created"}}; absent values are null. */
    static ObjectNode summary(ImageRecord image) {
        ObjectNode json = NODES.objectNode();
        json.put(Results.ID, image.id());
        json.set(Results.NAMES, strings(image.names()));
        putOptional(json, Results.DIGEST, image.digest());
        putOptional(json, Results.TOP_LAYER, image.layer());
        putOptional(json, Results.CREATED, image.created().map(DateTimeFormatter.ISO_INSTANT::format));
        return json;
    }

    /** InspectImage layer: {@code {"id","parent","diffDigest","diffSize"}}; unknown diffSize is -1 as stored. */
    static ObjectNode layer(LayerRecord layer) {
        ObjectNode json = NODES.objectNode();
        json.put(Results.ID, layer.id());
        putOptional(json, Results.PARENT, layer.parent());
        putOptional(json, Results.DIFF_DIGEST, layer.diffDigest());
        json.put(Results.DIFF_SIZE, layer.diffSize());
        return json;
    }

    static ArrayNode strings(List<String> values) {
        ArrayNode array = NODES.arrayNode();
        values.forEach(array::add);
        return array;
    }

    /** Puts {@code value}, or JSON null when absent. */
    static void putOptional(ObjectNode json, String key, Optional<String> value) {
        if (value.isPresent()) {
            json.put(key, value.get());
        } else {
            json.putNull(key);
        }
    }
}
