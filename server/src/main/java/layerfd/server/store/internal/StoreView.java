package layerfd.server.store.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import layerfd.server.store.ImageRecord;
import layerfd.server.store.LayerRecord;

/** Every store tree's records, in Go's search order (primary first), as read under one set of locks. */
public record StoreView(List<PartView> parts) {
    public StoreView {
        parts = List.copyOf(parts);
        if (parts.isEmpty() || !parts.getFirst().part().primary()) {
            throw new IllegalArgumentException("a store view starts with its primary store");
        }
    }

    public PartView primary() {
        return parts.getFirst();
    }

    /** The tree a record came from (records carry their store's root). */
    public StorePart partOf(Path storeRoot) {
        return parts.stream().map(PartView::part).filter(p -> p.root().equals(storeRoot)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no store tree at " + storeRoot));
    }

    /** A layer by exact id, searching the primary store first, then the others in order (Go's store.Layer). */
    public Optional<LayerRecord> layer(String id) {
        for (PartView p : parts) {
            LayerRecord l = p.layer(id);
            if (l != null) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    /** All layers, each id once (the first store holding it wins). */
    public List<LayerRecord> layers() {
        Set<String> seen = new HashSet<>();
        List<LayerRecord> out = new ArrayList<>();
        parts.forEach(p -> p.layers().stream().filter(l -> seen.add(l.id())).forEach(out::add));
        return List.copyOf(out);
    }

    /** All images, each id once: an id in the primary store hides a read-only copy, as in Go's store.Image. */
    public List<ImageRecord> images() {
        Set<String> seen = new HashSet<>();
        List<ImageRecord> out = new ArrayList<>();
        parts.forEach(p -> p.images().stream().filter(i -> seen.add(i.id())).forEach(out::add));
        return List.copyOf(out);
    }
}
