package layerfd.server.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Edits and writes store JSON in tests: on copies of fixture stores (to plant an incomplete flag or a cycle) and in
 * hand-made store trees (to exercise limits no podman store reaches, like a 4097-layer chain).
 */
final class StoreJson {
    static final ObjectMapper JSON = new ObjectMapper();

    private StoreJson() {}

    /** Rewrites the record with {@code id} in a layers.json or images.json (write + rename, as Go does). */
    static void editRecord(Path json, String id, Consumer<ObjectNode> edit) throws IOException {
        ArrayNode records = (ArrayNode) JSON.readTree(json.toFile());
        boolean found = false;
        for (var n : records) {
            if (n.path("id").asText().equals(id)) {
                edit.accept((ObjectNode) n);
                found = true;
            }
        }
        if (!found) {
            throw new IllegalArgumentException("no record " + id + " in " + json);
        }
        write(json, records);
    }

    static void write(Path json, ArrayNode records) throws IOException {
        Path tmp = json.resolveSibling(json.getFileName() + ".tmp");
        Files.write(tmp, JSON.writeValueAsBytes(records));
        Files.move(tmp, json, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** A minimal store tree: {@code <root>/<driver>-layers} and {@code -images} with empty lock files. */
    static void createTree(Path root, String driver) throws IOException {
        for (String kind : new String[] {"layers", "images"}) {
            Path dir = Files.createDirectories(root.resolve(driver + "-" + kind));
            Files.write(dir.resolve(kind + ".lock"), new byte[0]);
        }
    }

    static ObjectNode layer(String id, String parent) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", id);
        if (parent != null) {
            n.put("parent", parent);
        }
        n.put("diff-digest", "sha256:" + id);
        n.put("diff-size", 1024);
        return n;
    }

    static ObjectNode image(String id, String topLayer, String... names) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", id);
        if (topLayer != null) {
            n.put("layer", topLayer);
        }
        ArrayNode a = n.putArray("names");
        for (String name : names) {
            a.add(name);
        }
        return n;
    }

    /** A 64-hex id made from a small number, for hand-made stores. */
    static String id(int n) {
        return String.format("%064x", n);
    }
}
