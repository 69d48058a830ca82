package layerfd.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import layerfd.server.store.internal.BigDataNames;
import org.junit.jupiter.api.Test;

/** makeBigDataBaseName (containers-storage.md §2.3), against names seen in real stores. */
class BigDataNamesTest {
    @Test
    void plainKeysAreTheirOwnFileNames() {
        assertEquals("manifest", BigDataNames.baseName("manifest"));
        assertEquals("a.b.0", BigDataNames.baseName("a.b.0"));
    }

    @Test
    void anyOtherCharacterMeansEqualsSignAndPaddedBase64() {
        assertEquals("=c2hhMjU2OjM4ZjUz", BigDataNames.baseName("sha256:38f53"));
        assertEquals("=bWFuaWZlc3Qtc2hhMjU2OmZhYzdj", BigDataNames.baseName("manifest-sha256:fac7c"));
        assertEquals("=TWFuaWZlc3Q=", BigDataNames.baseName("Manifest"), "upper case is not plain");
        assertEquals("=w6k=", BigDataNames.baseName("\u00e9"), "UTF-8 bytes, padded");
    }

    @Test
    void hostileKeysCanMapToNamesThatAreNotOneFileName() {
        assertEquals("..", BigDataNames.baseName(".."));
        assertEquals("=Pz8/", BigDataNames.baseName("???"), "standard base64 uses '/'");
        assertFalse(BigDataNames.isFileName(".."));
        assertFalse(BigDataNames.isFileName("."));
        assertFalse(BigDataNames.isFileName("=Pz8/"));
        assertTrue(BigDataNames.isFileName("manifest"));
        assertTrue(BigDataNames.isFileName("..."));
        assertTrue(BigDataNames.isFileName("=c2hhMjU2OjM4ZjUz"));
    }
}
