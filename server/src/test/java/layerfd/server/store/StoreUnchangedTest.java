package layerfd.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import layerfd.linux.OwnedFd;
import org.junit.jupiter.api.Test;

/** Everything the reader does leaves every fixture store byte-for-byte and mtime-for-mtime as it was. */
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
            try (content; InputStream in = content.openTarSplit()) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
                try (OwnedFd ignored = content.files().open("etc/hello".getBytes())) {
                    // opened for reading and closed: an atime change at most, which the fingerprint ignores
                } catch (StoreException missing) {
                    assertEquals(StoreException.Kind.FILE_MISSING, missing.kind());
                }
            }
        }
        return contents.size();
    }
}
