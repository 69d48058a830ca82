package layerfd.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Store layouts podman 4.3 never writes but the reader must handle (hand-made trees): volatile-layers.json, a split
 * image store, per-store prefix ambiguity, and reloading when a JSON file changes under an unchanged token.
 */
class StoreLayoutTest {
    @TempDir
    Path tmp;

    private static void writeLayers(Path root, String file, String... idsAndParents) throws Exception {
        ArrayNode a = StoreJson.JSON.createArrayNode();
        for (int i = 0; i < idsAndParents.length; i += 2) {
            a.add(StoreJson.layer(idsAndParents[i], idsAndParents[i + 1]));
            Files.write(root.resolve("overlay-layers").resolve(idsAndParents[i] + ".tar-split.gz"), new byte[0]);
        }
        StoreJson.write(root.resolve("overlay-layers").resolve(file), a);
    }

    private static void writeImages(Path root, ArrayNode images) throws Exception {
        StoreJson.write(root.resolve("overlay-images/images.json"), images);
    }

    private StoreLocation location(Path graph, Optional<Path> imageStore, List<Path> additional) {
        return new StoreLocation(graph, tmp.resolve("run"), StoreLocation.OVERLAY, imageStore, additional, false,
                List.of());
    }

    @Test
    void volatileLayersAreMergedWithLayersJson() throws Exception {
        Path root = tmp.resolve("g");
        StoreJson.createTree(root, StoreLocation.OVERLAY);
        writeLayers(root, "layers.json", StoreJson.id(1), null);
        writeLayers(root, "volatile-layers.json", StoreJson.id(2), StoreJson.id(1));
        ArrayNode images = StoreJson.JSON.createArrayNode();
        images.add(StoreJson.image(StoreJson.id(9), StoreJson.id(2), "localhost/v:1"));
        writeImages(root, images);
        try (StoreSnapshot s = Store.open(location(root, Optional.empty(), List.of())).readLocked()) {
            assertEquals(List.of(StoreJson.id(1), StoreJson.id(2)),
                    s.imageLayers(s.resolveImage("localhost/v:1")).stream().map(LayerRecord::id).toList());
        }
    }

    @Test
    void splitImageStoreIsPrimaryAndGraphrootIsSearchedAfterIt() throws Exception {
        Path graph = tmp.resolve("graph");
        Path images = tmp.resolve("imagestore");
        StoreJson.createTree(graph, StoreLocation.OVERLAY);
        StoreJson.createTree(images, StoreLocation.OVERLAY);
        writeLayers(images, "layers.json", StoreJson.id(1), null);
        ArrayNode inImageStore = StoreJson.JSON.createArrayNode();
        inImageStore.add(StoreJson.image(StoreJson.id(10), StoreJson.id(1), "localhost/split:1"));
        writeImages(images, inImageStore);
        writeLayers(graph, "layers.json", StoreJson.id(2), null);
        ArrayNode inGraph = StoreJson.JSON.createArrayNode();
        inGraph.add(StoreJson.image(StoreJson.id(11), StoreJson.id(2), "localhost/graph:1"));
        writeImages(graph, inGraph);
        try (StoreSnapshot s = Store.open(location(graph, Optional.of(images), List.of())).readLocked()) {
            assertEquals(images, s.resolveImage("localhost/split:1").store());
            assertEquals(graph, s.resolveImage("localhost/graph:1").store());
            assertEquals(List.of(StoreJson.id(10), StoreJson.id(11)),
                    s.images().stream().map(ImageRecord::id).toList(), "image store first");
        }
    }

    @Test
    void prefixAmbiguousInOneStoreButUniqueInTheNextResolvesAsGoDoes() throws Exception {
        Path primary = tmp.resolve("p");
        Path ais = tmp.resolve("a");
        StoreJson.createTree(primary, StoreLocation.OVERLAY);
        StoreJson.createTree(ais, StoreLocation.OVERLAY);
        String a1 = "ab" + "1".repeat(62);
        String a2 = "ab" + "2".repeat(62);
        String b = "ac" + "3".repeat(62);
        ArrayNode p = StoreJson.JSON.createArrayNode();
        p.add(StoreJson.image(a1, null));
        p.add(StoreJson.image(a2, null));
        writeImages(primary, p);
        ArrayNode r = StoreJson.JSON.createArrayNode();
        r.add(StoreJson.image(b, null));
        writeImages(ais, r);
        try (StoreSnapshot s = Store.open(location(primary, Optional.empty(), List.of(ais))).readLocked()) {
            StoreException e = assertThrows(StoreException.class, () -> s.resolveImage("ab"));
            assertEquals(StoreException.Kind.AMBIGUOUS_PREFIX, e.kind());
            assertEquals(List.of(a1, a2), e.candidates());
            // "a" is ambiguous in the primary; Go's store.Image then asks the read-only store, where it is unique.
            assertEquals(b, s.resolveImage("a").id());
        }
    }

    @Test
    void changedJsonIsReloadedEvenWhenTheTokenDidNotChange() throws Exception {
        Path root = tmp.resolve("g");
        StoreJson.createTree(root, StoreLocation.OVERLAY);
        ArrayNode one = StoreJson.JSON.createArrayNode();
        one.add(StoreJson.image(StoreJson.id(1), null, "localhost/one:1"));
        writeImages(root, one);
        Store store = Store.open(location(root, Optional.empty(), List.of()));
        try (StoreSnapshot s = store.readLocked()) {
            assertEquals(1, s.images().size());
        }
        one.add(StoreJson.image(StoreJson.id(2), null, "localhost/two:1"));
        writeImages(root, one);
        Path json = root.resolve("overlay-images/images.json");
        Files.setLastModifiedTime(json, FileTime.fromMillis(Files.getLastModifiedTime(json).toMillis() + 1000));
        try (StoreSnapshot s = store.readLocked()) {
            assertEquals(StoreJson.id(2), s.resolveImage("localhost/two:1").id());
        }
    }
}
