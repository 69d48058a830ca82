package layerfd.client.objects.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import layerfd.client.apply.internal.EntryType;
import layerfd.client.objects.ImageDescription;

/**
 * The image document's keys and type names (docs/object-store.md), and its reader: what fsck and repair need from
 * a document, checked strictly enough that a truncated or hand-damaged document is reported, not half-trusted.
 *
 * @param description the image the document describes
 * @param entries how many entries it lists
 * @param objects the distinct object digests its entries reference
 */
public record ImageDocument(ImageDescription description, long entries, Set<String> objects) {
    static final String SCHEMA = "schema";
    static final String SCHEMA_VERSION = "layerfd-image-document/1";
    static final String ID = "id";
    static final String NAMES = "names";
    static final String MANIFEST_DIGEST = "manifestDigest";
    static final String CONFIG_DIGEST = "configDigest";
    static final String LAYERS = "layers";
    static final String LAYER_ID = "id";
    static final String DIFF_DIGEST = "diffDigest";
    static final String CREATED = "created";
    static final String INLINE_LIMIT = "inlineLimit";
    static final String ENTRIES = "entries";
    static final String PATH = "path";
    static final String PATH_BASE64 = "pathBase64";
    static final String TYPE = "type";
    static final String MODE = "mode";
    static final String UID = "uid";
    static final String GID = "gid";
    static final String MTIME = "mtime";
    static final String MTIME_NANOS = "mtimeNanos";
    static final String SIZE = "size";
    static final String DIGEST = "digest";
    static final String INLINE = "inline";
    static final String TARGET = "target";
    static final String TARGET_BASE64 = "targetBase64";
    static final String XATTRS = "xattrs";
    static final String DEV_MAJOR = "major";
    static final String DEV_MINOR = "minor";
    static final String TYPE_FILE = "file";
    static final String TYPE_DIRECTORY = "dir";
    static final String TYPE_HARDLINK = "hardlink";

    /**
     * Regular files of at most this many bytes are stored in the document, not as objects: composefs' limit
     * (composefs-rs {@code INLINE_CONTENT_MAX}, libcomposefs' inline files), so the documents match what a composefs
     * image would inline, and tiny files (most of /etc) cost no inode and no object each.
     */
    public static final int INLINE_LIMIT_BYTES = 64;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TYPES = Set.of(TYPE_FILE, TYPE_DIRECTORY, TYPE_HARDLINK, "symlink", "char",
            "block", "fifo");

    public ImageDocument {
        objects = Set.copyOf(objects);
    }

    static String typeName(EntryType type) {
        return switch (type) {
            case REGULAR -> TYPE_FILE;
            case DIRECTORY -> TYPE_DIRECTORY;
            case HARDLINK -> TYPE_HARDLINK;
            case SYMLINK -> "symlink";
            case CHAR_DEVICE -> "char";
            case BLOCK_DEVICE -> "block";
            case FIFO -> "fifo";
        };
    }

    /** Parses a document; anything that is not a complete, well-formed document is a {@link Malformed}. */
    public static ImageDocument read(InputStream in) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(in);
        } catch (JsonProcessingException e) {
            throw new Malformed("not valid JSON: " + e.getOriginalMessage() + " at byte "
                    + e.getLocation().getByteOffset());
        }
        if (root == null || !root.isObject()) {
            throw new Malformed("not a JSON object");
        }
        if (!SCHEMA_VERSION.equals(root.path(SCHEMA).asText(null))) {
            throw new Malformed("schema is not " + SCHEMA_VERSION);
        }
        List<ImageDescription.Layer> layers = new ArrayList<>();
        for (JsonNode l : array(root, LAYERS)) {
            layers.add(new ImageDescription.Layer(text(l, LAYER_ID), text(l, DIFF_DIGEST)));
        }
        List<String> names = new ArrayList<>();
        for (JsonNode n : array(root, NAMES)) {
            names.add(n.asText());
        }
        ImageDescription description = new ImageDescription(text(root, ID), names, text(root, MANIFEST_DIGEST),
                text(root, CONFIG_DIGEST), layers);
        Set<String> objects = new TreeSet<>();
        long count = 0;
        for (JsonNode e : array(root, ENTRIES)) {
            count++;
            String type = text(e, TYPE);
            if (!TYPES.contains(type)) {
                throw new Malformed("entry " + count + " has unknown type '" + type + "'");
            }
            if (!e.has(PATH) && !e.has(PATH_BASE64)) {
                throw new Malformed("entry " + count + " has no path");
            }
            if (type.equals(TYPE_FILE) && e.has(DIGEST)) {
                String digest = text(e, DIGEST);
                if (!RepoLayout.isDigest(digest)) {
                    throw new Malformed("entry " + count + " names an object '" + digest + "' that is no sha256 "
                            + "digest");
                }
                objects.add(digest);
            } else if (type.equals(TYPE_FILE) && !e.has(INLINE)) {
                throw new Malformed("entry " + count + " is a file with neither an object digest nor inline data");
            }
        }
        return new ImageDocument(description, count, objects);
    }

    private static Iterable<JsonNode> array(JsonNode node, String key) throws Malformed {
        JsonNode a = node.get(key);
        if (a == null || !a.isArray()) {
            throw new Malformed("'" + key + "' is missing or not an array");
        }
        return a;
    }

    private static String text(JsonNode node, String key) throws Malformed {
        JsonNode v = node.get(key);
        if (v == null || !v.isTextual()) {
            throw new Malformed("'" + key + "' is missing or not a string");
        }
        return v.asText();
    }

    /** A document that cannot be used; the message says why. */
    public static final class Malformed extends IOException {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }
}
