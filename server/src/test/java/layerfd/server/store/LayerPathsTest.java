package layerfd.server.store;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import layerfd.server.store.internal.LayerPaths;
import org.junit.jupiter.api.Test;

/** Cleaning tar-split names into paths beneath a diff root. */
class LayerPathsTest {
    private static final String LAYER = "ab".repeat(32);

    @Test
    void leadingDotSlashSlashesAndDotComponentsAreDropped() throws Exception {
        Map<String, String> cases = Map.of(
                "./etc/hello", "etc/hello",
                "/etc/hello", "etc/hello",
                "etc//hello", "etc/hello",
                "././etc/./hello/", "etc/hello",
                ".wh..wh..opq", ".wh..wh..opq",
                "...", "...",
                "a/..b/c", "a/..b/c");
        for (var c : cases.entrySet()) {
            assertArrayEquals(c.getValue().getBytes(UTF_8), LayerPaths.clean(c.getKey().getBytes(UTF_8), LAYER),
                    c.getKey());
        }
    }

    @Test
    void nonUtf8BytesPassThroughUnchanged() throws Exception {
        byte[] raw = "./caf\u00e9.txt".getBytes(ISO_8859_1);
        assertArrayEquals("caf\u00e9.txt".getBytes(ISO_8859_1), LayerPaths.clean(raw, LAYER));
    }

    @Test
    void dotDotNulAndEmptyAreRefusedNamingTheLayer() {
        for (String bad : new String[] {"..", "../x", "a/../b", "a/..", "", "/", "./", "a\0b"}) {
            StoreException e = assertThrows(StoreException.class, () -> LayerPaths.clean(bad.getBytes(UTF_8), LAYER),
                    bad);
            assertTrue(e.getMessage().contains(LAYER), e.getMessage());
        }
    }
}
