package layerfd.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import layerfd.server.tarsplit.AssemblyResult;
import layerfd.testing.OpenFds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Byte-exact reconstruction on the real stores: every layer of every fixture image rebuilds to its diff-digest and
 * diff-size, and corruption (in the tar-split or in a layer file) is caught and names the file.
 */
class ReconstructionTest {
    private static final List<String> STORES =
            List.of(Fixtures.ROOT_OVERLAY, Fixtures.ROOTLESS_VFS, Fixtures.AIS_BASE, Fixtures.WITH_AIS);

    @TempDir
    Path tmp;

    @Test
    void everyLayerOfEveryFixtureImageRebuildsToItsDiffDigestAndDiffSize() throws Exception {
        int layers = 0;
        for (String store : STORES) {
            Store opened = Store.open(Fixtures.location(store));
            try (StoreSnapshot warm = opened.readLocked()) {
                assertTrue(!warm.images().isEmpty(), store);
            }
            int fdsBefore = OpenFds.count();
            try (StoreSnapshot s = opened.readLocked()) {
                for (ImageRecord image : s.images()) {
                    for (LayerRecord layer : s.imageLayers(image)) {
                        try (LayerContent content = s.openLayer(layer)) {
                            AssemblyResult r = content.reassemble(OutputStream.nullOutputStream());
                            assertEquals(layer.diffDigest().orElseThrow(), r.sha256Digest(), store + " " + layer.id());
                            assertEquals(layer.diffSize(), r.size(), store + " " + layer.id());
                            layers++;
                        }
                    }
                }
            }
            assertEquals(fdsBefore, OpenFds.settle(fdsBefore), store + ": every descriptor closed");
        }
        // Counted per image: root 3 (base) + 1 (big) + 17 (prefix) + 1 (imported); rootless 3 + 4 + 1;
        // ais-base 3; with-ais 4 (derived) + 3 (base:primary).
        assertEquals(40, layers, "layers rebuilt");
    }

    @Test
    void bigLayerOver100MiBRebuildsWithTheRecordedSize() throws Exception {
        try (StoreSnapshot s = Store.open(Fixtures.location(Fixtures.ROOT_OVERLAY)).readLocked();
             LayerContent big = s.openLayer(s.imageLayers(s.resolveImage(Fixtures.BIG)).getFirst())) {
            AssemblyResult r = big.reassemble(OutputStream.nullOutputStream());
            assertTrue(r.size() > 100L << 20, "size " + r.size());
            assertEquals(big.layer().diffSize(), r.size());
            assertEquals(2, r.files());
        }
    }

    @Test
    void corruptedCrcInTheTarSplitFailsAndNamesTheFile() throws Exception {
        StoreLocation copy = Fixtures.copy(Fixtures.AIS_BASE, tmp);
        Store store = Store.open(copy);
        LayerRecord l1;
        try (StoreSnapshot s = store.readLocked()) {
            l1 = s.imageLayers(s.resolveImage(Fixtures.BASE)).getFirst();
        }
        Path tarSplit = copy.graphRoot().resolve("overlay-layers").resolve(l1.id() + ".tar-split.gz");
        String lines;
        try (var in = new GZIPInputStream(Files.newInputStream(tarSplit))) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String wrongCrc = Base64.getEncoder().encodeToString(new byte[8]);
        String corrupted = lines.replaceFirst("(\"name\":\"\\./data/4096\",\"size\":4096,\"payload\":\")[^\"]+\"",
                "$1" + wrongCrc + "\"");
        assertTrue(!corrupted.equals(lines), "the tar-split has the ./data/4096 entry");
        try (var out = new GZIPOutputStream(Files.newOutputStream(tarSplit))) {
            out.write(corrupted.getBytes(StandardCharsets.UTF_8));
        }
        try (StoreSnapshot s = store.readLocked(); LayerContent content = s.openLayer(l1)) {
            StoreException e = assertThrows(StoreException.class,
                    () -> content.reassemble(OutputStream.nullOutputStream()));
            assertEquals(StoreException.Kind.IO_OR_INTEGRITY, e.kind());
            assertEquals(-32003, e.code());
            assertTrue(e.getMessage().contains("./data/4096") && e.getMessage().contains(l1.id()), e.getMessage());
        }
    }

    @Test
    void layerFileChangedOnDiskFailsItsCrcAndNamesTheFile() throws Exception {
        StoreLocation copy = Fixtures.copy(Fixtures.AIS_BASE, tmp);
        try (StoreSnapshot s = Store.open(copy).readLocked()) {
            LayerRecord l1 = s.imageLayers(s.resolveImage(Fixtures.BASE)).getFirst();
            Path file = copy.graphRoot().resolve("overlay").resolve(l1.id()).resolve("diff/data/4097");
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.seek(4000);
                raf.write('X'); // same size, different content
            }
            try (LayerContent content = s.openLayer(l1)) {
                StoreException e = assertThrows(StoreException.class,
                        () -> content.reassemble(new ByteArrayOutputStream()));
                assertEquals(StoreException.Kind.IO_OR_INTEGRITY, e.kind());
                assertTrue(e.getMessage().contains("data/4097"), e.getMessage());
            }
        }
    }

    @Test
    void fileRemovedFromTheLayerFailsTheRebuildNamingIt() throws Exception {
        StoreLocation copy = Fixtures.copy(Fixtures.AIS_BASE, tmp);
        try (StoreSnapshot s = Store.open(copy).readLocked()) {
            LayerRecord l1 = s.imageLayers(s.resolveImage(Fixtures.BASE)).getFirst();
            Files.delete(copy.graphRoot().resolve("overlay").resolve(l1.id()).resolve("diff/etc/xattr-file"));
            try (LayerContent content = s.openLayer(l1)) {
                StoreException e = assertThrows(StoreException.class,
                        () -> content.reassemble(OutputStream.nullOutputStream()));
                assertTrue(e.getMessage().contains("etc/xattr-file") && e.getMessage().contains("missing"),
                        e.getMessage());
            }
        }
    }
}
