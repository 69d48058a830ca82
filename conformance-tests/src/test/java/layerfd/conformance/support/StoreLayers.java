package layerfd.conformance.support;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import layerfd.server.store.Fixtures;
import layerfd.server.store.ImageRecord;
import layerfd.server.store.LayerRecord;
import layerfd.server.store.Store;
import layerfd.server.store.StoreLocation;
import layerfd.server.store.StoreSnapshot;
import layerfd.server.store.config.StoreOverrides;
import org.junit.jupiter.params.provider.Arguments;

/** What the tests expect of a fixture store, read with layerfd's own store reader. */
public final class StoreLayers {
    private StoreLayers() {}

    /** The server runner's store overrides (--root, --runroot, --driver) for {@code store}. */
    public static StoreOverrides overrides(StoreLocation store) {
        return new StoreOverrides(Optional.of(store.graphRoot()), Optional.of(store.runRoot()),
                Optional.of(store.driver()), Optional.empty());
    }

    /** Store and image pairs for parameterized tests: both fixture drivers, and a layer with a file over 100 MiB. */
    public static Stream<Arguments> fixtureImages() {
        return Stream.of(Arguments.of(Fixtures.ROOT_OVERLAY, Fixtures.BASE),
                Arguments.of(Fixtures.ROOT_OVERLAY, Fixtures.BIG),
                Arguments.of(Fixtures.ROOTLESS_VFS, Fixtures.BASE));
    }

    /** The image's layer records, base first. */
    public static List<LayerRecord> baseFirst(StoreLocation store, String image) throws Exception {
        try (StoreSnapshot snapshot = Store.open(store).readLocked()) {
            ImageRecord record = snapshot.resolveImage(image);
            return snapshot.imageLayers(record);
        }
    }
}
