package layerfd.server.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import layerfd.server.store.ImageRecord;
import layerfd.server.store.LayerRecord;
import layerfd.server.store.StoreException;
import layerfd.server.store.internal.BigDataNames;
import layerfd.server.store.internal.RecordParser;
import org.junit.jupiter.api.Timeout;

/**
 * The containers-storage record readers (containers-storage.md §2.1-§2.3) over any bytes: the same input is read
 * as {@code layers.json}, as {@code images.json} and as an image manifest. Properties:
 * <ul>
 *   <li>only {@link StoreException} comes out, of kind IO_OR_INTEGRITY, its message naming the file;</li>
 *   <li>every id, parent and top layer that comes out is 64 hex digits (they become path components);</li>
 *   <li>every big-data key of an image maps to the file name containers-storage's {@code makeBigDataBaseName}
 *   gives it ({@link BigDataNames#baseName}): the key itself when it is only [a-z0-9.], else "=" and the standard
 *   base64 of its UTF-8 bytes, from which the key's bytes can be recovered, so two keys never share a file. (That
 *   name can contain '/', as standard base64 does, or be "." or "..": Go maps keys the same way.)</li>
 * </ul>
 */
class StoreRecordsFuzzTest {
    private static final Path STORE = Path.of("/var/lib/containers/storage");
    private static final String LAYERS = "overlay-layers/layers.json";
    private static final String IMAGES = "overlay-images/images.json";
    private static final String MANIFEST = "manifest";

    @FuzzTest
    @Timeout(10)
    void recordsParseOrFailWithAStoreError(byte[] input) {
        try {
            for (LayerRecord layer : RecordParser.layers(input, LAYERS, STORE)) {
                assertTrue(RecordParser.isId(layer.id()), layer.id());
                layer.parent().ifPresent(p -> assertTrue(RecordParser.isId(p), p));
            }
        } catch (StoreException e) {
            refused(e, LAYERS);
        }
        try {
            for (ImageRecord image : RecordParser.images(input, IMAGES, STORE)) {
                assertTrue(RecordParser.isId(image.id()), image.id());
                image.layer().ifPresent(l -> assertTrue(RecordParser.isId(l), l));
                image.bigDataNames().forEach(StoreRecordsFuzzTest::oneFilePerKey);
                image.manifestDigests();
            }
        } catch (StoreException e) {
            refused(e, IMAGES);
        }
        try {
            RecordParser.configDigest(input, MANIFEST);
        } catch (StoreException e) {
            refused(e, MANIFEST);
        }
    }

    private static void refused(StoreException e, String source) {
        assertEquals(StoreException.Kind.IO_OR_INTEGRITY, e.kind(), e.getMessage());
        assertTrue(e.getMessage().startsWith(source + ": "), e.getMessage());
    }

    private static void oneFilePerKey(String key) {
        String name = BigDataNames.baseName(key);
        boolean plain = key.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                || c == '.');
        if (plain) {
            assertEquals(key, name);
        } else {
            assertTrue(name.startsWith("="), name);
            byte[] decoded = Base64.getDecoder().decode(name.substring(1));
            assertArrayEquals(key.getBytes(StandardCharsets.UTF_8), decoded, "key not recoverable from " + name);
        }
    }
}
