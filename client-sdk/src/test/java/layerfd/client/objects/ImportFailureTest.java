package layerfd.client.objects;

import static layerfd.client.objects.StoreFixtures.data;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import layerfd.client.apply.ApplyException;
import layerfd.client.apply.LayerInput;
import layerfd.client.apply.LayerSource;
import layerfd.client.apply.Piece;
import layerfd.client.apply.Piece.ExternalFile;
import layerfd.client.testing.FdLeakCheck;
import layerfd.client.testing.ServerSplit;
import layerfd.client.testing.TarSpec;
import layerfd.linux.Open;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A failed import leaves no image document (and an earlier one untouched); errors name image, layer and entry. */
@ExtendWith(FdLeakCheck.class)
class ImportFailureTest {
    @TempDir
    Path work;

    /** A layer whose second external file holds one byte less than its tar header says. */
    private LayerSource lyingLayer() throws IOException {
        Path tar = TarSpec.pax().file("first", data(1, 6000)).file("liar", data(2, 7000)).write(work.resolve("l.tar"));
        return new LayerSource("lying", () -> {
            Path dir = Files.createTempDirectory(work, "split");
            List<Piece> pieces = new ArrayList<>(ServerSplit.split(tar, dir, ServerSplit.SERVER_INLINE_THRESHOLD,
                    ServerSplit.WHOLE).pieces());
            Path external = dir.resolve("external-1");
            Files.write(external, java.util.Arrays.copyOf(Files.readAllBytes(external), 6999));
            int index = 0;
            for (int i = 0; i < pieces.size(); i++) {
                if (pieces.get(i) instanceof ExternalFile f && index++ == 1) {
                    f.close();
                    pieces.set(i, new ExternalFile(Open.open(external.toString(), Open.O_RDONLY | Open.O_CLOEXEC, 0)));
                }
            }
            return LayerInput.of(pieces);
        });
    }

    @Test
    void anExternalFileWhoseSizeLiesFailsTheImportAndLeavesNoDocument() throws IOException {
        ObjectStore store = ObjectStore.at(work.resolve("repo"));
        String id = StoreFixtures.imageId('a');
        List<LayerSource> layers = new ArrayList<>(StoreFixtures.layers(work, TarSpec.pax().file("base", "b")));
        layers.add(lyingLayer());

        ObjectStoreException e = assertThrows(ObjectStoreException.class,
                () -> store.importImage(StoreFixtures.image(id, 2), layers, ImportOptions.defaults()));

        assertEquals("image " + id + ": layer 2 of 2 (lying): entry 'liar': the external file holds 6999 bytes but "
                + "the tar header says 7000 bytes (integrity error)", e.getMessage());
        assertEquals(ApplyException.Reason.INTEGRITY, assertInstanceOf(ApplyException.class, e.getCause()).reason());
        assertFalse(Files.exists(store.documentPath(id)));
        assertEquals(List.of(), list(store.repository().resolve("images")));
        // the first file's object was written before the failure: harmless garbage, whole and under its name
        FsckReport report = store.fsck(ImagePresence.UNKNOWN);
        assertTrue(report.ok(), report.toText());
        assertEquals(1, report.unreferencedObjects().size());
        assertEquals(List.of(), report.strayFiles(), "no temporary files left behind");
    }

    @Test
    void aFailedReimportLeavesTheEarlierDocumentAsItWas() throws IOException {
        ObjectStore store = ObjectStore.at(work.resolve("repo"));
        String id = StoreFixtures.imageId('b');
        store.importImage(StoreFixtures.image(id, 1), StoreFixtures.layers(work, TarSpec.pax().file("x", "x")),
                ImportOptions.defaults());
        byte[] before = Files.readAllBytes(store.documentPath(id));

        assertThrows(ObjectStoreException.class, () -> store.importImage(StoreFixtures.image(id, 1),
                List.of(lyingLayer()), ImportOptions.defaults()));

        assertArrayEquals(before, Files.readAllBytes(store.documentPath(id)));
    }

    @Test
    void aPathLeavingTheTreeIsRefusedNamingTheEntry() throws IOException {
        ObjectStore store = ObjectStore.at(work.resolve("repo"));
        String id = StoreFixtures.imageId('c');

        ObjectStoreException e = assertThrows(ObjectStoreException.class, () -> store.importImage(
                StoreFixtures.image(id, 1), StoreFixtures.layers(work, TarSpec.pax().file("../escape", "x")),
                ImportOptions.defaults()));

        assertEquals("image " + id + ": layer 1 of 1 (layer0): entry '../escape': the path '../escape' leaves the "
                + "destination", e.getMessage());
        assertFalse(Files.exists(store.documentPath(id)));
    }

    @Test
    void aHardlinkToNothingIsRefused() throws IOException {
        ObjectStore store = ObjectStore.at(work.resolve("repo"));
        String id = StoreFixtures.imageId('d');

        ObjectStoreException e = assertThrows(ObjectStoreException.class, () -> store.importImage(
                StoreFixtures.image(id, 1), StoreFixtures.layers(work, TarSpec.pax().hardlink("l", "missing")),
                ImportOptions.defaults()));

        assertTrue(e.getMessage().endsWith("entry 'l': the hardlink target 'missing' does not exist in the tree"),
                e.getMessage());
    }

    @Test
    void anImageIdThatCannotNameAFileIsRefusedBeforeAnythingIsRead() {
        ObjectStore store = ObjectStore.at(work.resolve("repo"));
        for (String bad : List.of("../evil", "a/b", ".hidden", "", "x".repeat(129), "sha256:abc")) {
            ObjectStoreException e = assertThrows(ObjectStoreException.class, () -> store.importImage(
                    StoreFixtures.image(bad, 0), List.of(), ImportOptions.defaults()));
            assertTrue(e.getMessage().startsWith("image id '" + bad + "' cannot name an image document"),
                    e.getMessage());
        }
        assertFalse(Files.exists(work.resolve("repo")), "nothing created");
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
