package layerfd.server.store.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import layerfd.server.store.ImageRecord;
import layerfd.server.store.LayerRecord;

/**
 * The records of one store tree as read under its locks, indexed the way Go's layer and image stores index them.
 * Immutable.
 */
public final class PartView {
    private final StorePart part;
    private final List<LayerRecord> layers;
    private final List<ImageRecord> images;
    private final Map<String, LayerRecord> layersById = new HashMap<>();
    private final Map<String, ImageRecord> imagesById = new HashMap<>();
    private final Map<String, ImageRecord> imagesByName = new HashMap<>();
    private final List<String> sortedImageIds;

    public PartView(StorePart part, List<LayerRecord> layers, List<ImageRecord> images) {
        this.part = Objects.requireNonNull(part, "part");
        this.layers = List.copyOf(layers);
        this.images = List.copyOf(images);
        // containers-storage.md §7: on load, a later record wins a duplicate id or name, as in Go's maps.
        layers.forEach(l -> layersById.put(l.id(), l));
        for (ImageRecord image : images) {
            imagesById.put(image.id(), image);
            image.names().forEach(n -> imagesByName.put(n, image));
        }
        sortedImageIds = imagesById.keySet().stream().sorted().toList();
    }

    public StorePart part() {
        return part;
    }

    public List<LayerRecord> layers() {
        return layers;
    }

    public List<ImageRecord> images() {
        return images;
    }

    public LayerRecord layer(String id) {
        return layersById.get(id);
    }

    public ImageRecord imageById(String id) {
        return imagesById.get(id);
    }

    public ImageRecord imageByName(String name) {
        return imagesByName.get(name);
    }

    /** Image ids starting with {@code prefix}, in order; at most {@code limit} of them. */
    public List<String> imageIdsWithPrefix(String prefix, int limit) {
        List<String> out = new ArrayList<>();
        int from = lowerBound(prefix);
        for (int i = from; i < sortedImageIds.size() && out.size() < limit; i++) {
            String id = sortedImageIds.get(i);
            if (!id.startsWith(prefix)) {
                break;
            }
            out.add(id);
        }
        return out;
    }

    private int lowerBound(String key) {
        int lo = 0;
        int hi = sortedImageIds.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sortedImageIds.get(mid).compareTo(key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
