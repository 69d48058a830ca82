package layerfd.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import layerfd.server.store.internal.LayerChain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which layers may be served: incomplete layers, container layers and layers without tar-split never are, and a
 * broken chain (missing parent, cycle, absurd depth) is an error rather than a partial image.
 */
class StreamabilityTest {
    @TempDir
    Path tmp;

    private record Base(StoreLocation copy, List<LayerRecord> layers, Path layersJson) {}

    private Base copyOfAisBase() throws Exception {
        StoreLocation copy = Fixtures.copy(Fixtures.AIS_BASE, tmp);
        try (StoreSnapshot s = Store.open(copy).readLocked()) {
            return new Base(copy, s.imageLayers(s.resolveImage(Fixtures.BASE)),
                    copy.graphRoot().resolve("overlay-layers/layers.json"));
        }
    }

    private static StoreException chainFailure(StoreLocation location) throws Exception {
        try (StoreSnapshot s = Store.open(location).readLocked()) {
            ImageRecord base = s.resolveImage(Fixtures.BASE);
            return assertThrows(StoreException.class, () -> s.imageLayers(base));
        }
    }

    @Test
    void fixtureImageChainIsBaseFirstAndFollowsParents() throws Exception {
        try (StoreSnapshot s = Store.open(Fixtures.location(Fixtures.ROOT_OVERLAY)).readLocked()) {
            ImageRecord base = s.resolveImage(Fixtures.BASE);
            List<LayerRecord> chain = s.imageLayers(base);
            assertEquals(3, chain.size());
            assertEquals(Optional.empty(), chain.getFirst().parent());
            for (int i = 1; i < chain.size(); i++) {
                assertEquals(Optional.of(chain.get(i - 1).id()), chain.get(i).parent());
            }
            assertEquals(base.layer(), Optional.of(chain.getLast().id()));
        }
    }

    @Test
    void incompleteLayerMakesItsImageNotStreamable() throws Exception {
        Base b = copyOfAisBase();
        String middle = b.layers().get(1).id();
        StoreJson.editRecord(b.layersJson(), middle, n -> n.putObject("flags").put("incomplete", true));
        StoreException e = chainFailure(b.copy());
        assertEquals(StoreException.Kind.NOT_STREAMABLE, e.kind());
        assertEquals(-32007, e.code());
        assertTrue(e.getMessage().contains(middle) && e.getMessage().contains("incomplete"), e.getMessage());
        try (StoreSnapshot s = Store.open(b.copy()).readLocked()) {
            LayerRecord layer = s.layer(middle);
            assertTrue(layer.incomplete());
            assertEquals(StoreException.Kind.NOT_STREAMABLE,
                    assertThrows(StoreException.class, () -> s.openLayer(layer)).kind());
        }
    }

    @Test
    void missingTarSplitIsNotStreamable() throws Exception {
        Base b = copyOfAisBase();
        String top = b.layers().get(2).id();
        Files.delete(b.copy().graphRoot().resolve("overlay-layers").resolve(top + ".tar-split.gz"));
        StoreException e = chainFailure(b.copy());
        assertEquals(StoreException.Kind.NOT_STREAMABLE, e.kind());
        assertTrue(e.getMessage().contains(top) && e.getMessage().contains("tar-split"), e.getMessage());
    }

    @Test
    void containerLayerWithoutDiffDigestIsNotStreamable() throws Exception {
        Base b = copyOfAisBase();
        String top = b.layers().get(2).id();
        StoreJson.editRecord(b.layersJson(), top, n -> n.remove(List.of("diff-digest", "diff-size")));
        StoreException e = chainFailure(b.copy());
        assertEquals(StoreException.Kind.NOT_STREAMABLE, e.kind());
        assertTrue(e.getMessage().contains("no diff-digest"), e.getMessage());
    }

    @Test
    void parentMissingFromEveryStoreIsLayerNotFound() throws Exception {
        Base b = copyOfAisBase();
        String missing = StoreJson.id(7);
        StoreJson.editRecord(b.layersJson(), b.layers().getFirst().id(), n -> n.put("parent", missing));
        StoreException e = chainFailure(b.copy());
        assertEquals(StoreException.Kind.LAYER_NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains(missing), e.getMessage());
    }

    @Test
    void parentCycleIsReportedNotFollowedForever() throws Exception {
        Base b = copyOfAisBase();
        StoreJson.editRecord(b.layersJson(), b.layers().getFirst().id(), n -> n.put("parent", b.layers().get(2).id()));
        StoreException e = chainFailure(b.copy());
        assertEquals(StoreException.Kind.IO_OR_INTEGRITY, e.kind());
        assertTrue(e.getMessage().contains("cycle"), e.getMessage());
    }

    @Test
    void chainDeeperThanTheCapIsRefused() throws Exception {
        Path root = tmp.resolve("deep");
        StoreJson.createTree(root, StoreLocation.OVERLAY);
        ArrayNode layers = StoreJson.JSON.createArrayNode();
        int depth = LayerChain.MAX_DEPTH + 1;
        for (int i = 1; i <= depth; i++) {
            layers.add(StoreJson.layer(StoreJson.id(i), i == 1 ? null : StoreJson.id(i - 1)));
            Files.write(root.resolve("overlay-layers").resolve(StoreJson.id(i) + ".tar-split.gz"), new byte[0]);
        }
        StoreJson.write(root.resolve("overlay-layers/layers.json"), layers);
        ArrayNode images = StoreJson.JSON.createArrayNode();
        images.add(StoreJson.image(StoreJson.id(1 << 20), StoreJson.id(depth), "localhost/deep:1"));
        StoreJson.write(root.resolve("overlay-images/images.json"), images);
        StoreLocation location = new StoreLocation(root, tmp.resolve("run"), StoreLocation.OVERLAY, Optional.empty(),
                List.of(), false, List.of());
        try (StoreSnapshot s = Store.open(location).readLocked()) {
            ImageRecord deep = s.resolveImage("localhost/deep:1");
            StoreException e = assertThrows(StoreException.class, () -> s.imageLayers(deep));
            assertEquals(StoreException.Kind.IO_OR_INTEGRITY, e.kind());
            assertTrue(e.getMessage().contains("deeper than " + LayerChain.MAX_DEPTH), e.getMessage());
        }
    }

    @Test
    void layerlessImageHasAnEmptyChain() throws Exception {
        Path root = tmp.resolve("empty");
        StoreJson.createTree(root, StoreLocation.VFS);
        ArrayNode images = StoreJson.JSON.createArrayNode();
        images.add(StoreJson.image(StoreJson.id(1), null, "localhost/nolayers:1"));
        StoreJson.write(root.resolve("vfs-images/images.json"), images);
        StoreLocation location = new StoreLocation(root, tmp.resolve("run"), StoreLocation.VFS, Optional.empty(),
                List.of(), false, List.of());
        try (StoreSnapshot s = Store.open(location).readLocked()) {
            assertEquals(List.of(), s.imageLayers(s.resolveImage("localhost/nolayers:1")));
            assertEquals(List.of(), s.layers(), "no layers.json is an empty store, as in Go");
        }
    }
}
