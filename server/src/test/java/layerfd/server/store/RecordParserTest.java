package layerfd.server.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import layerfd.server.store.internal.RecordParser;
import org.junit.jupiter.api.Test;

/** Parsing records from bytes, with the real samples of containers-storage.md §8. */
class RecordParserTest {
    private static final Path STORE = Path.of("/var/lib/containers/storage");
    private static final String LAYER_SAMPLE = """
            [{"id":"33ba0670ef4f9d3cf5dd34d646a6e3292dbbbdd10f46cde6fbde57ecc079a67e",\
            "parent":"0bf963168087f4fbe1dbccadd71ed80e359bf4e59646dc5b3d8211eebfccc78f",\
            "created":"2026-11-21T22:23:36.738097626Z",\
            "compressed-diff-digest":"sha256:2c91f5b7d604fd50520c07f6a997cef004eb8af0d59105f6aa3ca2d38f226ca0",\
            "compressed-size":258,\
            "diff-digest":"sha256:bc25d8f4df146eace3b1d6d6eb17e3b8fe05094a8e564d26044d7ce0a99d3021",\
            "diff-size":10240,"compression":2,"uidset":[0],"gidset":[0],"some-future-key":{"x":1}}]""";
    private static final String IMAGE_SAMPLE = """
            [{"id": "38f532eea0c6158aa405912273dbb2800373a0a55a6a08ac25c2d4d4c4217ae7",
              "digest": "sha256:fac7cde9efafabfbf906bb62d3a4ea2dc4f7e9e6800cafb99a054dbd0d67a06b",
              "names": ["localhost/test:1"], "names-history": ["localhost/test:1"],
              "layer": "243509a9a6c05b506428d08fe559c3ec17cc8fabd113c8b3d66a08d2a2931c8d",
              "metadata": "{\\"signatures-sizes\\":{}}",
              "big-data-names": ["sha256:38f5", "manifest-sha256:fac7", "manifest", "signature-fac7"],
              "big-data-sizes": {"manifest": 343, "manifest-sha256:fac7": 343, "sha256:38f5": 409,
                                 "signature-fac7": 0},
              "big-data-digests": {"manifest": "sha256:aaaa", "manifest-sha256:fac7": "sha256:bbbb",
                                   "sha256:38f5": "sha256:cccc", "signature-fac7": "sha256:e3b0"},
              "created": "2026-11-21T22:20:46.419844429Z", "mapped-layers": ["ignored"]}]""";

    @Test
    void layerRecordReadsDiffSizeAndDigestsAndIgnoresUnknownKeys() throws Exception {
        LayerRecord l = RecordParser.layers(LAYER_SAMPLE.getBytes(UTF_8), "layers.json", STORE).getFirst();
        assertEquals("33ba0670ef4f9d3cf5dd34d646a6e3292dbbbdd10f46cde6fbde57ecc079a67e", l.id());
        assertEquals(Optional.of("0bf963168087f4fbe1dbccadd71ed80e359bf4e59646dc5b3d8211eebfccc78f"), l.parent());
        assertEquals(10240, l.diffSize());
        assertEquals(258, l.compressedSize());
        assertEquals(2, l.compression());
        assertEquals(Optional.of("sha256:bc25d8f4df146eace3b1d6d6eb17e3b8fe05094a8e564d26044d7ce0a99d3021"),
                l.diffDigest());
        assertEquals(Optional.of(Instant.parse("2026-11-21T22:23:36.738097626Z")), l.created());
        assertFalse(l.incomplete());
        assertFalse(l.idMapped());
        assertEquals(STORE, l.store());
    }

    @Test
    void containerLayerHasNoDigestAndUnknownSizes() throws Exception {
        String json = "[{\"id\":\"" + "a".repeat(64) + "\",\"parent\":\"" + "b".repeat(64) + "\","
                + "\"flags\":{\"incomplete\":true},\"uidmap\":[{\"container_id\":0,\"host_id\":1000,\"size\":1}]}]";
        LayerRecord l = RecordParser.layers(json.getBytes(UTF_8), "layers.json", STORE).getFirst();
        assertEquals(Optional.empty(), l.diffDigest());
        assertEquals(LayerRecord.UNKNOWN_SIZE, l.diffSize());
        assertEquals(LayerRecord.UNKNOWN_SIZE, l.compressedSize());
        assertEquals(0, l.compression());
        assertTrue(l.incomplete());
        assertEquals(Map.of("incomplete", "true"), l.flags());
        assertTrue(l.idMapped());
        assertEquals(Optional.empty(), l.created());
    }

    @Test
    void imageRecordReadsTopLayerKeyBigDataAndManifestDigests() throws Exception {
        ImageRecord i = RecordParser.images(IMAGE_SAMPLE.getBytes(UTF_8), "images.json", STORE).getFirst();
        assertEquals(Optional.of("243509a9a6c05b506428d08fe559c3ec17cc8fabd113c8b3d66a08d2a2931c8d"), i.layer());
        assertEquals(List.of("localhost/test:1"), i.names());
        assertEquals(List.of("localhost/test:1"), i.namesHistory());
        assertEquals("{\"signatures-sizes\":{}}", i.metadata());
        assertEquals(343L, i.bigDataSizes().get("manifest"));
        assertEquals(4, i.bigDataNames().size());
        assertEquals(List.of("sha256:fac7cde9efafabfbf906bb62d3a4ea2dc4f7e9e6800cafb99a054dbd0d67a06b",
                "sha256:aaaa", "sha256:bbbb"), i.manifestDigests(), "digest, then manifest* big-data digests");
    }

    @Test
    void emptyOrNullFileIsNoRecords() throws Exception {
        assertEquals(List.of(), RecordParser.layers(new byte[0], "layers.json", STORE));
        assertEquals(List.of(), RecordParser.images("null".getBytes(UTF_8), "images.json", STORE));
        assertEquals(List.of(), RecordParser.images("[]".getBytes(UTF_8), "images.json", STORE));
    }

    @Test
    void idsThatAreNotHexAreRejectedBeforeTheyBecomePaths() {
        for (String bad : List.of("../../etc", "ABC".repeat(21) + "D", "", "a".repeat(63))) {
            String json = "[{\"id\":\"" + bad + "\"}]";
            StoreException e = assertThrows(StoreException.class,
                    () -> RecordParser.layers(json.getBytes(UTF_8), "/s/layers.json", STORE), bad);
            assertEquals(StoreException.Kind.IO_OR_INTEGRITY, e.kind());
            assertTrue(e.getMessage().startsWith("/s/layers.json: "), e.getMessage());
        }
        String badParent = "[{\"id\":\"" + "a".repeat(64) + "\",\"parent\":\"../x\"}]";
        assertThrows(StoreException.class, () -> RecordParser.layers(badParent.getBytes(UTF_8), "l", STORE));
        String badTop = "[{\"id\":\"" + "a".repeat(64) + "\",\"layer\":\"/etc\"}]";
        assertThrows(StoreException.class, () -> RecordParser.images(badTop.getBytes(UTF_8), "i", STORE));
    }

    @Test
    void malformedJsonNamesTheFile() {
        StoreException e = assertThrows(StoreException.class,
                () -> RecordParser.images("{\"id\":".getBytes(UTF_8), "/s/images.json", STORE));
        assertTrue(e.getMessage().startsWith("/s/images.json: not JSON"), e.getMessage());
        StoreException notArray = assertThrows(StoreException.class,
                () -> RecordParser.images("{}".getBytes(UTF_8), "/s/images.json", STORE));
        assertTrue(notArray.getMessage().contains("expected a JSON array"), notArray.getMessage());
    }

    @Test
    void configDigestComesFromTheManifest() throws Exception {
        byte[] manifest = "{\"config\":{\"digest\":\"sha256:cafe\"},\"layers\":[]}".getBytes(UTF_8);
        assertEquals(Optional.of("sha256:cafe"), RecordParser.configDigest(manifest, "m"));
        assertEquals(Optional.empty(), RecordParser.configDigest("{\"manifests\":[]}".getBytes(UTF_8), "m"));
    }
}
