package layerfd.conformance.support;

import java.util.List;
import java.util.Optional;
import layerfd.server.store.ImageRecord;
import layerfd.server.store.LayerRecord;
import layerfd.server.store.Store;
import layerfd.server.store.StoreLocation;
import layerfd.server.store.StoreSnapshot;
import layerfd.server.store.config.StoreOverrides;

/** What the tests expect of a fixture store, read with layerfd's own store reader. */
public final class StoreLayers {
    private StoreLayers() {}

    /** The server runner's store overrides (--root, --runroot, --driver) for {@code store}. */
    public static StoreOverrides overrides(StoreLocation store) {
        return new StoreOverrides(Optional.of(store.graphRoot()), Optional.of(store.runRoot()),
                Optional.of(store.driver()), Optional.empty());
    }

    /** The image's layer records, base first. */
    public static List<LayerRecord> baseFirst(StoreLocation store, String image) throws Exception {
        try (StoreSnapshot snapshot = Store.open(store).readLocked()) {
            ImageRecord record = snapshot.resolveImage(image);
            return snapshot.imageLayers(record);
        }
    }
}
