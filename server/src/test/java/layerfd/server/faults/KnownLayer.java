package layerfd.server.faults;

import java.io.IOException;
import java.util.List;
import layerfd.server.store.LayerRecord;
import layerfd.server.store.Store;
import layerfd.server.store.StoreLocation;
import layerfd.server.store.StoreSnapshot;

/** A layer and what its rebuilt tar must be (api-contract §3.3: sha256 = diff-digest, length = diff-size). */
record KnownLayer(String id, String diffDigest, long diffSize) {
    static KnownLayer of(LayerRecord layer) {
        return new KnownLayer(layer.id(), layer.diffDigest().orElseThrow(), layer.diffSize());
    }

    /** The layers of {@code image} in {@code location}, base first, as the store records them now. */
    static List<KnownLayer> ofImage(StoreLocation location, String image) throws IOException {
        try (StoreSnapshot s = Store.open(location).readLocked()) {
            return s.imageLayers(s.resolveImage(image)).stream().map(KnownLayer::of).toList();
        }
    }
}
