package layerfd.server.store.internal;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import layerfd.server.store.ImageRecord;
import layerfd.server.store.LayerRecord;
import layerfd.server.store.StoreException;
import layerfd.server.store.StoreException.Kind;

/**
 * An image's layers, found by walking {@code layer} then each {@code parent} across all stores, never through the
 * config's {@code diff_ids} (containers-storage.md §7 "Image → layers": the same DiffID can sit under different
 * parents or in different stores). Every layer on the way must be streamable byte-exact.
 */
public final class LayerChain {
    /** A chain deeper than this is treated as corrupt (a cycle the id check missed, or a hostile store). */
    public static final int MAX_DEPTH = 4096;

    private LayerChain() {}

    /** The image's layers, base first. Empty for a layer-less image. */
    public static List<LayerRecord> of(StoreView view, ImageRecord image) throws StoreException {
        ArrayDeque<LayerRecord> chain = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        Optional<String> next = image.layer();
        while (next.isPresent()) {
            String id = next.get();
            if (chain.size() >= MAX_DEPTH) {
                throw new StoreException(Kind.IO_OR_INTEGRITY, "image " + image.id() + ": layer chain is deeper than "
                        + MAX_DEPTH + " layers");
            }
            if (!seen.add(id)) {
                throw new StoreException(Kind.IO_OR_INTEGRITY, "image " + image.id() + ": layer chain has a cycle at "
                        + "layer " + id);
            }
            LayerRecord layer = view.layer(id).orElseThrow(() -> new StoreException(Kind.LAYER_NOT_FOUND,
                    "image " + image.id() + " needs layer " + id + ", which no store holds"));
            try {
                requireStreamable(view, layer);
            } catch (StoreException e) {
                throw new StoreException(e.kind(), "image " + image.id() + " cannot be streamed byte-exact: "
                        + e.getMessage(), e);
            }
            chain.addFirst(layer);
            next = layer.parent();
        }
        return List.copyOf(chain);
    }

    /**
     * containers-storage.md §7: incomplete layers are being created or deleted; container layers and TOC-only layers
     * have no diff-digest or no tar-split, so nothing can rebuild their exact bytes.
     */
    public static void requireStreamable(StoreView view, LayerRecord layer) throws StoreException {
        if (layer.incomplete()) {
            throw notStreamable(layer, "it is flagged incomplete (being created or deleted)");
        }
        if (layer.diffDigest().isEmpty()) {
            throw notStreamable(layer, "it has no diff-digest (a container layer or a layer without tar-split)");
        }
        if (!Files.isRegularFile(view.partOf(layer.store()).tarSplit(layer.id()), LinkOption.NOFOLLOW_LINKS)) {
            throw notStreamable(layer, "it has no tar-split file "
                    + view.partOf(layer.store()).tarSplit(layer.id()).getFileName());
        }
    }

    private static StoreException notStreamable(LayerRecord layer, String why) {
        return new StoreException(Kind.NOT_STREAMABLE, "layer " + layer.id() + " cannot be streamed byte-exact: "
                + why);
    }
}
