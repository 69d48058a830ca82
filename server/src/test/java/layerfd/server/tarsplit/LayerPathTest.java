package layerfd.server.tarsplit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LayerPathTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "./etc/hello, etc/hello",
        "/etc/hello, etc/hello",
        "etc/hello, etc/hello",
        ".//etc/./x//y/, etc/x/y",
        "././a, a",
        "..., ...",
        "opq/.wh..wh..opq, opq/.wh..wh..opq",
        "a/..b/c.., a/..b/c..",
    })
    void cleansLeadingDotSlashAndRedundantParts(String name, String cleaned) throws Exception {
        assertEquals(cleaned, new String(LayerPath.clean(bytes(name)), StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../etc/passwd", "./../x", "/../x", "a/../b", "a/b/..", "a/../../b"})
    void refusesEveryDotDotComponent(String name) {
        UnsafeLayerPathException e = assertThrows(UnsafeLayerPathException.class, () -> LayerPath.clean(bytes(name)));
        assertTrue(e.getMessage().contains(name) && e.getMessage().contains(".."), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "./", "/", "//", "./././"})
    void refusesTheLayerRootItself(String name) {
        UnsafeLayerPathException e = assertThrows(UnsafeLayerPathException.class, () -> LayerPath.clean(bytes(name)));
        assertTrue(e.getMessage().contains("layer directory itself"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void refusesNulByte() {
        UnsafeLayerPathException e = assertThrows(UnsafeLayerPathException.class,
                () -> LayerPath.clean(new byte[] {'a', 0, 'b'}));
        assertTrue(e.getMessage().contains("NUL"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void keepsNonUtf8BytesExactly() throws Exception {
        byte[] name = {'.', '/', 'c', 'a', 'f', (byte) 0xe9};
        assertEquals(4, LayerPath.clean(name).length);
        assertEquals((byte) 0xe9, LayerPath.clean(name)[3]);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
