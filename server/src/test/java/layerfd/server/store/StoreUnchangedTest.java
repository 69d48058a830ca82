package layerfd.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Everything the reader does (resolve, read big data, open and rebuild every layer) leaves every fixture store byte-for-byte and mtime-for-mtime as it was. */
class StoreUnchangedTest {
    private static final List<String> STORES =
            List.of(Fixtures.ROOT_OVERLAY, Fixtures.ROOTLESS_VFS, Fixtures.AIS_BASE, Fixtures.WITH_AIS);

    @Test
    void readingEveryImageLayerAndFileChangesNothingInAnyStore() throws Exception {
        List<Map<String, String>> before = new ArrayList<>();
        for (String store : STORES) {
            before.add(StoreFingerprint.of(Fixtures.root().resolve(store)));
        }
        long layersRead = 0;
        for (String store : STORES) {
            layersRead += readEverything(Store.open(Fixtures.location(store)));
        }
        assertTrue(layersRead >= 10, "read " + layersRead + " layers");
        for (int i = 0; i < STORES.size(); i++) {
            assertEquals(before.get(i), StoreFingerprint.of(Fixtures.root().resolve(STORES.get(i))), STORES.get(i));
        }
    }

    private static long readEverything(Store store) throws Exception {
        List<LayerContent> contents = new ArrayList<>();
        try (StoreSnapshot s = store.readLocked()) {
            for (ImageRecord image : s.images()) {
                s.resolveImage(image.id());
                s.manifest(image);
                s.config(image);
                for (LayerRecord layer : s.imageLayers(image)) {
                    contents.add(s.openLayer(layer));
                }
            }
        }
        for (LayerContent content : contents) {
            try (content) {
                content.reassemble(OutputStream.nullOutputStream()); // verified against diff-digest and diff-size
            }
        }
        return contents.size();
    }
}
