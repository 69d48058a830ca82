package layerfd.server.store.internal;

import java.io.IOException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import layerfd.server.store.ImageRecord;
import layerfd.server.store.LayerRecord;
import layerfd.server.store.StoreException;
import layerfd.server.store.StoreException.Kind;

/**
 * Parses {@code layers.json}, {@code volatile-layers.json} and {@code images.json} from bytes into records; no disk
 * I/O here. Unknown keys are ignored (containers-storage.md §7: new keys appear over time). Ids are checked to be
 * 64 hex digits because they become path components: a record cannot steer a later open outside the store.
 */
public final class RecordParser {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");

    private RecordParser() {}

    public static boolean isId(String s) {
        return ID.matcher(s).matches();
    }

    /** The records of a layers JSON file; {@code source} names the file in messages. */
    public static List<LayerRecord> layers(byte[] json, String source, Path store) throws StoreException {
        List<LayerRecord> out = new ArrayList<>();
        for (JsonNode n : array(json, source)) {
            String id = id(n, "id", source);
            Optional<String> parent = optionalText(n, "parent");
            if (parent.isPresent() && !isId(parent.get())) {
                throw invalid(source, "layer " + id + " has parent '" + parent.get() + "', not 64 hex digits");
            }
            out.add(new LayerRecord(id, parent, strings(n.path("names")), time(n, source),
                    optionalText(n, "compressed-diff-digest"), size(n, "compressed-size"),
                    optionalText(n, "diff-digest"), size(n, "diff-size"), n.path("compression").asInt(0),
                    flags(n), nonEmpty(n, "uidmap") || nonEmpty(n, "gidmap"), strings(n.path("big-data-names")),
                    store));
        }
        return List.copyOf(out);
    }

    /** The records of an images JSON file; {@code source} names the file in messages. */
    public static List<ImageRecord> images(byte[] json, String source, Path store) throws StoreException {
        List<ImageRecord> out = new ArrayList<>();
        for (JsonNode n : array(json, source)) {
            String id = id(n, "id", source);
            Optional<String> layer = optionalText(n, "layer");
            if (layer.isPresent() && !isId(layer.get())) {
                throw invalid(source, "image " + id + " has top layer '" + layer.get() + "', not 64 hex digits");
            }
            Map<String, Long> sizes = new LinkedHashMap<>();
            n.path("big-data-sizes").properties().forEach(e -> sizes.put(e.getKey(), e.getValue().asLong()));
            Map<String, String> digests = new LinkedHashMap<>();
            n.path("big-data-digests").properties().forEach(e -> digests.put(e.getKey(), e.getValue().asText()));
            out.add(new ImageRecord(id, optionalText(n, "digest"), strings(n.path("names")),
                    strings(n.path("names-history")), layer, n.path("metadata").asText(""),
                    strings(n.path("big-data-names")), sizes, digests, time(n, source), flags(n), store));
        }
        return List.copyOf(out);
    }

    /** {@code config.digest} of an image manifest (OCI or Docker schema 2), if it has one. */
    public static Optional<String> configDigest(byte[] manifest, String source) throws StoreException {
        try {
            JsonNode digest = JSON.readTree(manifest).path("config").path("digest");
            return digest.isTextual() ? Optional.of(digest.asText()) : Optional.empty();
        } catch (IOException e) {
            throw invalid(source, "not JSON: " + e.getMessage());
        }
    }

    private static List<JsonNode> array(byte[] json, String source) throws StoreException {
        if (json.length == 0) {
            return List.of(); // Go treats an empty file like an absent one: no records yet.
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw invalid(source, "not JSON: " + e.getMessage());
        }
        if (root == null || root.isNull()) {
            return List.of();
        }
        if (!root.isArray()) {
            throw invalid(source, "expected a JSON array of records, found " + root.getNodeType());
        }
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode n : root) {
            if (!n.isObject()) {
                throw invalid(source, "expected a record object, found " + n.getNodeType());
            }
            out.add(n);
        }
        return out;
    }

    private static String id(JsonNode n, String key, String source) throws StoreException {
        String id = n.path(key).asText("");
        if (!isId(id)) {
            throw invalid(source, "a record has " + key + " '" + id + "', not 64 hex digits");
        }
        return id;
    }

    private static Optional<String> optionalText(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || !v.isTextual() || v.asText().isEmpty() ? Optional.empty() : Optional.of(v.asText());
    }

    private static long size(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || !v.canConvertToLong() ? LayerRecord.UNKNOWN_SIZE : v.asLong();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static Map<String, String> flags(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        n.path("flags").properties().forEach(e -> out.put(e.getKey(), e.getValue().toString()));
        return out;
    }

    private static boolean nonEmpty(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v != null && v.isArray() && !v.isEmpty();
    }

    private static Optional<Instant> time(JsonNode n, String source) throws StoreException {
        JsonNode v = n.get("created");
        if (v == null || !v.isTextual()) {
            return Optional.empty();
        }
        try {
            // RFC 3339 with nanoseconds and any offset, as Go's time.Time marshals it.
            return Optional.of(OffsetDateTime.parse(v.asText()).toInstant());
        } catch (DateTimeParseException e) {
            throw invalid(source, "record " + n.path("id").asText() + " has created '" + v.asText()
                    + "', not an RFC 3339 time");
        }
    }

    private static StoreException invalid(String source, String what) {
        return new StoreException(Kind.IO_OR_INTEGRITY, source + ": " + what);
    }
}
