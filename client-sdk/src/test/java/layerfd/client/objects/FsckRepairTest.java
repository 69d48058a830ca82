package layerfd.client.objects;

import static layerfd.client.objects.StoreFixtures.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import layerfd.client.apply.LayerSource;
import layerfd.client.objects.FsckReport.ImageCheck;
import layerfd.client.testing.FdLeakCheck;
import layerfd.client.testing.TarSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** fsck finds every kind of damage, and repair re-imports what it can until fsck is clean. */
@ExtendWith(FdLeakCheck.class)
class FsckRepairTest {
    private static final String BIG = data(11, 50_000);
    private static final String OTHER = data(12, 9000);

    @TempDir
    Path work;
    private ObjectStore store;
    private String imageA;
    private String imageB;
    private List<LayerSource> layersA;
    private List<LayerSource> layersB;
    private final List<String> reimported = new ArrayList<>();

    @BeforeEach
    void importTwoImages() throws IOException {
        store = ObjectStore.at(work.resolve("repo"));
        imageA = StoreFixtures.imageId('a');
        imageB = StoreFixtures.imageId('b');
        layersA = StoreFixtures.layers(work, TarSpec.pax().file("big", BIG).file("small", "s"),
                TarSpec.pax().file("other", OTHER));
        layersB = StoreFixtures.layers(work, TarSpec.pax().file("same-big", BIG));
        store.importImage(StoreFixtures.image(imageA, 2), layersA, ImportOptions.defaults());
        store.importImage(StoreFixtures.image(imageB, 1), layersB, ImportOptions.defaults());
    }

    private Reimporter reimporter() {
        return id -> {
            reimported.add(id);
            return id.equals(imageA) ? new Reimporter.ImageLayers(StoreFixtures.image(imageA, 2), layersA)
                    : new Reimporter.ImageLayers(StoreFixtures.image(imageB, 1), layersB);
        };
    }

    private String digestOf(String image, String path) throws IOException {
        return ImportTreeTest.entry(StoreFixtures.document(store, image), ("/" + path).getBytes()).get("digest")
                .asText();
    }

    private ImageCheck check(FsckReport report, String image) {
        return report.images().stream().filter(c -> c.imageId().equals(image)).findFirst().orElseThrow();
    }

    @Test
    void aCleanStoreIsOk() throws IOException {
        FsckReport report = store.fsck(ImagePresence.UNKNOWN);

        assertTrue(report.ok(), report.toText());
        assertEquals(2, report.images().size());
        assertEquals(2, report.objectsChecked());
        assertEquals(new ImageCheck("images/" + imageA + ".json", imageA, null, 4, 2, List.of(), List.of(), false),
                check(report, imageA));
        assertEquals(List.of(), report.unreferencedObjects());
        assertEquals(List.of(), report.corruptObjects());
        assertTrue(report.toText().endsWith("2 images, 2 objects checked: ok\n"), report.toText());
    }

    @Test
    void aDeletedObjectIsReportedMissingForEveryImageUsingIt() throws IOException {
        String big = digestOf(imageA, "big");
        Files.delete(store.objectPath(big));

        FsckReport report = store.fsck(ImagePresence.UNKNOWN);

        assertFalse(report.ok());
        assertEquals(List.of(big), check(report, imageA).missingObjects());
        assertEquals(List.of(big), check(report, imageB).missingObjects());
        assertTrue(report.toText().contains("image " + imageA + " (images/" + imageA + ".json): object missing: "
                + big + "\n"), report.toText());
    }

    @Test
    void aFlippedByteIsReportedCorrupt() throws IOException {
        String other = digestOf(imageA, "other");
        flipByte(store.objectPath(other), 4097);

        FsckReport report = store.fsck(ImagePresence.UNKNOWN);

        assertFalse(report.ok());
        assertEquals(1, report.corruptObjects().size());
        assertEquals(other, report.corruptObjects().getFirst().digest());
        assertTrue(report.corruptObjects().getFirst().problem().startsWith("content has fs-verity digest sha256:"));
        assertEquals(List.of(other), check(report, imageA).corruptObjects());
        assertTrue(check(report, imageB).ok());
    }

    @Test
    void aTruncatedDocumentIsReportedUnreadable() throws IOException {
        Path doc = store.documentPath(imageB);
        byte[] bytes = Files.readAllBytes(doc);
        Files.write(doc, java.util.Arrays.copyOf(bytes, bytes.length / 2));

        FsckReport report = store.fsck(ImagePresence.UNKNOWN);

        assertFalse(report.ok());
        ImageCheck b = check(report, imageB);
        assertTrue(b.unreadable().startsWith("not valid JSON: "), b.unreadable());
        assertTrue(b.needsReimport());
        assertTrue(report.toText().contains("document unreadable: not valid JSON"), report.toText());
    }

    @Test
    void anImageGoneFromContainersStorageIsReported() throws IOException {
        FsckReport report = store.fsck(id -> !id.equals(imageB));

        assertFalse(report.ok());
        assertTrue(check(report, imageB).goneFromStorage());
        assertFalse(check(report, imageB).needsReimport());
        assertFalse(check(report, imageA).goneFromStorage());
        assertTrue(report.toText().contains("image gone from containers-storage"));
    }

    @Test
    void anUnreferencedObjectIsOnlyInformational() throws IOException {
        Files.delete(store.documentPath(imageB));
        Files.delete(store.documentPath(imageA));
        store.importImage(StoreFixtures.image(imageA, 1), StoreFixtures.layers(work, TarSpec.pax().file("o", OTHER)),
                ImportOptions.defaults());
        Files.writeString(store.repository().resolve("objects/stray-file"), "?");

        FsckReport report = store.fsck(ImagePresence.UNKNOWN);

        assertTrue(report.ok(), report.toText());
        assertEquals(List.of(digestOfContent(BIG)), report.unreferencedObjects());
        assertEquals(List.of("objects/stray-file"), report.strayFiles());
        assertTrue(report.toText().contains("1 unreferenced objects (harmless"), report.toText());
    }

    @Test
    void theJsonReportHasTheDocumentedShape() throws IOException {
        String big = digestOf(imageA, "big");
        Files.delete(store.objectPath(big));

        JsonNode json = StoreFixtures.JSON.readTree(store.fsck(id -> !id.equals(imageB)).toJson());

        assertFalse(json.get("ok").asBoolean());
        assertEquals(1, json.get("objectsChecked").asLong());
        assertEquals(Set.of("ok", "objectsChecked", "images", "corruptObjects", "unreferencedObjects", "strayFiles"),
                fieldNames(json));
        JsonNode a = json.get("images").get(0);
        assertEquals(imageA, a.get("imageId").asText());
        assertEquals("images/" + imageA + ".json", a.get("document").asText());
        assertEquals(big, a.get("missingObjects").get(0).asText());
        assertFalse(a.get("ok").asBoolean());
        assertEquals(4, a.get("entries").asLong());
        assertTrue(json.get("images").get(1).get("goneFromStorage").asBoolean());
    }

    @Test
    void repairDeletesCorruptObjectsAndReimportsUntilFsckIsClean() throws IOException {
        String big = digestOf(imageA, "big");
        String other = digestOf(imageA, "other");
        Files.delete(store.objectPath(big));
        flipByte(store.objectPath(other), 0);
        FsckReport damaged = store.fsck(ImagePresence.UNKNOWN);
        assertFalse(damaged.ok());

        RepairReport repair = store.repair(damaged, reimporter(), ImportOptions.defaults(), ImagePresence.UNKNOWN);

        assertTrue(repair.ok(), repair.after().toText() + repair.failures());
        assertEquals(List.of(other), repair.deletedObjects());
        assertEquals(List.of(imageA, imageB), reimported);
        assertEquals(2, repair.reimported().getFirst().statistics().newObjects());
        assertEquals(0, repair.reimported().get(1).statistics().newObjects());
        assertEquals(StoreFixtures.bytesOf(OTHER).length, Files.size(store.objectPath(other)));
        assertEquals(other, FsVerityDigest.of(Files.readAllBytes(store.objectPath(other))));
        assertTrue(store.fsck(ImagePresence.UNKNOWN).ok());
    }

    @Test
    void repairRewritesAnUnreadableDocumentAndReportsImagesItCannotReimport() throws IOException {
        Files.writeString(store.documentPath(imageA), "{\"schema\":");
        Files.delete(store.objectPath(digestOf(imageB, "same-big")));
        FsckReport damaged = store.fsck(id -> !id.equals(imageB));

        RepairReport repair = store.repair(damaged, reimporter(), ImportOptions.defaults(), ImagePresence.UNKNOWN);

        assertEquals(List.of(imageA), reimported);
        assertEquals(List.of("image " + imageB + " is gone from containers-storage and cannot be re-imported; remove "
                + "images/" + imageB + ".json or pull the image again"), repair.failures());
        assertFalse(repair.ok());
        assertNull(check(repair.after(), imageA).unreadable());
        assertTrue(repair.after().ok(), "imageA's re-import brought back the shared object too");
    }

    private static void flipByte(Path object, long offset) throws IOException {
        Files.setPosixFilePermissions(object, PosixFilePermissions.fromString("rw-r--r--"));
        try (RandomAccessFile f = new RandomAccessFile(object.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x01);
        }
    }

    private static String digestOfContent(String data) {
        return FsVerityDigest.of(StoreFixtures.bytesOf(data));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
