package layerfd.server.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import layerfd.server.store.internal.BigDataNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image big data on the real stores: file names, manifest, config found through the manifest, sizes. */
class BigDataTest {

    @Test
    void everyRecordedBigDataItemIsAFileNamedAsGoNamesIt() throws Exception {
        for (String store : List.of(Fixtures.ROOT_OVERLAY, Fixtures.ROOTLESS_VFS)) {
            try (StoreSnapshot s = Store.open(Fixtures.location(store)).readLocked()) {
                for (ImageRecord image : s.images()) {
                    Path dir = image.store().resolve(Fixtures.location(store).driver() + "-images").resolve(image.id());
                    List<String> files;
                    try (var list = Files.list(dir)) {
                        files = list.map(p -> p.getFileName().toString()).sorted().toList();
                    }
                    List<String> expected = new ArrayList<>(image.bigDataNames().stream()
                            .map(BigDataNames::baseName).sorted().toList());
                    assertEquals(expected, files, image.id());
                    assertTrue(expected.contains("manifest"));
                    for (String key : image.bigDataNames()) {
                        assertEquals((long) image.bigDataSizes().get(key), s.bigData(image, key).length, key);
                    }
                }
            }
        }
    }

    @Test
    void configIsTheItemNamedByTheManifestAndMatchesTheChainsDiffIds() throws Exception {
        try (StoreSnapshot s = Store.open(Fixtures.location(Fixtures.ROOT_OVERLAY)).readLocked()) {
            for (ImageRecord image : s.images()) {
                byte[] manifest = s.manifest(image);
                assertEquals(image.digest().orElseThrow(), "sha256:" + sha256(manifest), "manifest digest");
                byte[] config = s.config(image);
                String configDigest = StoreJson.JSON.readTree(manifest).path("config").path("digest").asText();
                assertEquals(configDigest, "sha256:" + sha256(config), "config stored byte-exact");
                List<String> diffIds = new ArrayList<>();
                for (JsonNode d : StoreJson.JSON.readTree(config).path("rootfs").path("diff_ids")) {
                    diffIds.add(d.asText());
                }
                List<String> chain = s.imageLayers(image).stream().map(l -> l.diffDigest().orElseThrow()).toList();
                assertEquals(diffIds, chain, "layer chain of " + image.names());
            }
        }
    }

    @Test
    void unknownBigDataKeyIsAnErrorNamingImageAndKey() throws Exception {
        try (StoreSnapshot s = Store.open(Fixtures.location(Fixtures.ROOT_OVERLAY)).readLocked()) {
            ImageRecord base = s.resolveImage(Fixtures.BASE);
            StoreException e = assertThrows(StoreException.class, () -> s.bigData(base, "signature-nope"));
            assertTrue(e.getMessage().contains(base.id()) && e.getMessage().contains("signature-nope"));
            assertArrayEquals(s.bigData(base, "manifest"), s.manifest(base));
        }
    }

    @Test
    void recordedKeysThatMapOutsideTheImageDirectoryAreRefused(@TempDir Path dir) throws Exception {
        StoreLocation copy = Fixtures.copy(Fixtures.ROOT_OVERLAY, dir);
        Path images = copy.graphRoot().resolve("overlay-images").resolve("images.json");
        ArrayNode records = (ArrayNode) StoreJson.JSON.readTree(images.toFile());
        for (JsonNode record : records) {
            ((ArrayNode) record.get("big-data-names")).add("..").add("???");
        }
        StoreJson.JSON.writeValue(images.toFile(), records);
        try (StoreSnapshot s = Store.open(copy).readLocked()) {
            ImageRecord base = s.resolveImage(Fixtures.BASE);
            for (String key : List.of("..", "???")) {
                StoreException e = assertThrows(StoreException.class, () -> s.bigData(base, key));
                assertTrue(e.getMessage().contains("'" + key + "'") && e.getMessage().contains("not a file name"),
                        e.getMessage());
            }
            assertTrue(s.manifest(base).length > 0, "the image's real items still read");
        }
    }

    @Test
    void duplicatedRecordWithoutBigDataReadsItFromTheAdditionalStoreAsGoDoes() throws Exception {
        try (StoreSnapshot s = Store.open(Fixtures.location(Fixtures.WITH_AIS)).readLocked()) {
            ImageRecord copy = s.resolveImage(Fixtures.BASE_PRIMARY);
            assertEquals(List.of(), copy.bigDataNames(), "podman 4.3 duplicates the record without its big data");
            byte[] manifest = s.manifest(copy);
            assertEquals(copy.digest().orElseThrow(), "sha256:" + sha256(manifest));
            assertEquals(3, s.imageLayers(copy).size());
            assertTrue(s.config(copy).length > 0);
        }
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
