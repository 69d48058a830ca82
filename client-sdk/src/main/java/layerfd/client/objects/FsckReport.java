package layerfd.client.objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * What {@link ObjectStore#fsck} found (api-contract §6). {@link #ok()} is false while any image document is
 * unreadable, references a missing or corrupt object, or names an image gone from containers-storage, or while any
 * object's content does not match its name. Unreferenced objects and stray files are informational only.
 *
 * @param images one check per image document, in name order
 * @param corruptObjects objects whose fs-verity digest differs from their name (or that cannot be read)
 * @param unreferencedObjects digests of objects no readable document references (harmless garbage)
 * @param strayFiles repository-relative paths that are neither objects nor documents (temporary files left by an
 *        interrupted import, foreign files)
 * @param objectsChecked objects whose digest was computed
 */
public record FsckReport(List<ImageCheck> images, List<CorruptObject> corruptObjects,
                         List<String> unreferencedObjects, List<String> strayFiles, long objectsChecked) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public FsckReport {
        images = List.copyOf(images);
        corruptObjects = List.copyOf(corruptObjects);
        unreferencedObjects = List.copyOf(unreferencedObjects);
        strayFiles = List.copyOf(strayFiles);
    }

    /**
     * One image document.
     *
     * @param document the document's path relative to the repository ({@code images/<id>.json})
     * @param imageId the image id the document names (from its file name when it cannot be parsed)
     * @param unreadable why the document cannot be used, or {@code null} when it parsed
     * @param entries entries the document lists
     * @param objects distinct objects it references
     * @param missingObjects referenced digests with no object
     * @param corruptObjects referenced digests whose object is corrupt
     * @param goneFromStorage the image no longer exists in containers-storage
     */
    public record ImageCheck(String document, String imageId, String unreadable, long entries, long objects,
                             List<String> missingObjects, List<String> corruptObjects, boolean goneFromStorage) {
        public ImageCheck {
            Objects.requireNonNull(document, "document");
            Objects.requireNonNull(imageId, "imageId");
            missingObjects = List.copyOf(missingObjects);
            corruptObjects = List.copyOf(corruptObjects);
        }

        public boolean ok() {
            return unreadable == null && missingObjects.isEmpty() && corruptObjects.isEmpty() && !goneFromStorage;
        }

        /** Re-importing the image would fix it: its document is unreadable or its objects are missing or corrupt. */
        public boolean needsReimport() {
            return unreadable != null || !missingObjects.isEmpty() || !corruptObjects.isEmpty();
        }
    }

    /**
     * An object whose content is not what its name says.
     *
     * @param digest the object's name as a digest ({@code sha256:<hex>})
     * @param problem what is wrong, e.g. {@code content has fs-verity digest sha256:...}
     */
    public record CorruptObject(String digest, String problem) {
        public CorruptObject {
            Objects.requireNonNull(digest, "digest");
            Objects.requireNonNull(problem, "problem");
        }
    }

    public boolean ok() {
        return corruptObjects.isEmpty() && images.stream().allMatch(ImageCheck::ok);
    }

    /** One JSON document, the shape docs/object-store.md describes (for {@code layerfd fsck --json}). */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("ok", ok());
        root.put("objectsChecked", objectsChecked);
        ArrayNode imageArray = root.putArray("images");
        for (ImageCheck c : images) {
            ObjectNode n = imageArray.addObject();
            n.put("document", c.document());
            n.put("imageId", c.imageId());
            n.put("ok", c.ok());
            if (c.unreadable() != null) {
                n.put("unreadable", c.unreadable());
            }
            n.put("entries", c.entries());
            n.put("objects", c.objects());
            c.missingObjects().forEach(n.putArray("missingObjects")::add);
            c.corruptObjects().forEach(n.putArray("corruptObjects")::add);
            n.put("goneFromStorage", c.goneFromStorage());
        }
        ArrayNode corrupt = root.putArray("corruptObjects");
        for (CorruptObject o : corruptObjects) {
            corrupt.addObject().put("digest", o.digest()).put("problem", o.problem());
        }
        unreferencedObjects.forEach(root.putArray("unreferencedObjects")::add);
        strayFiles.forEach(root.putArray("strayFiles")::add);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree of strings and numbers always serialises
        }
    }

    /** Lines for a terminal: one per problem, then the informational counts, then a verdict. */
    public String toText() {
        StringBuilder out = new StringBuilder();
        for (ImageCheck c : images) {
            String image = "image " + c.imageId() + " (" + c.document() + ")";
            if (c.unreadable() != null) {
                out.append(image).append(": document unreadable: ").append(c.unreadable()).append('\n');
            }
            c.missingObjects().forEach(d -> out.append(image).append(": object missing: ").append(d).append('\n'));
            c.corruptObjects().forEach(d -> out.append(image).append(": object corrupt: ").append(d).append('\n'));
            if (c.goneFromStorage()) {
                out.append(image).append(": image gone from containers-storage\n");
            }
        }
        for (CorruptObject o : corruptObjects) {
            out.append("object ").append(o.digest()).append(": ").append(o.problem()).append('\n');
        }
        if (!unreferencedObjects.isEmpty()) {
            out.append(unreferencedObjects.size()).append(" unreferenced objects (harmless; a later import reuses "
                    + "them)\n");
        }
        strayFiles.forEach(f -> out.append("stray file (ignored): ").append(f).append('\n'));
        out.append(images.size()).append(" images, ").append(objectsChecked).append(" objects checked: ")
                .append(ok() ? "ok" : "PROBLEMS FOUND").append('\n');
        return out.toString();
    }
}
