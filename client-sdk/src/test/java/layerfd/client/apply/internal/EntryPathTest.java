package layerfd.client.apply.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import layerfd.client.apply.ApplyException;
import layerfd.client.apply.ApplyException.Reason;
import layerfd.client.testing.FdLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@ExtendWith(FdLeakCheck.class)
class EntryPathTest {
    private static EntryPath clean(String raw) throws ApplyException {
        return EntryPath.clean(raw.getBytes(StandardCharsets.UTF_8), raw, "the path");
    }

    @ParameterizedTest(name = "''{0}'' -> ''{1}''")
    @CsvSource({
        "./etc/passwd, etc/passwd",
        "etc//passwd/, etc/passwd",
        "a/./b/../c, a/c",
        "./, .",
        "., .",
        "a/.., .",
        "'.wh..wh..opq', '.wh..wh..opq'",
    })
    void cleansLexically(String raw, String cleaned) throws ApplyException {
        assertEquals(cleaned, clean(raw).toString());
    }

    @ParameterizedTest
    @CsvSource({"..", "../x", "a/../../x", "./../x"})
    void climbingAboveTheDestinationIsRefused(String raw) {
        ApplyException e = assertThrows(ApplyException.class, () -> clean(raw));
        assertEquals(Reason.UNSAFE_PATH, e.reason());
        assertEquals("entry '" + raw + "': the path '" + raw + "' leaves the destination", e.getMessage());
    }

    @Test
    void absolutePathIsRefused() {
        ApplyException e = assertThrows(ApplyException.class, () -> clean("/etc/passwd"));
        assertEquals(Reason.UNSAFE_PATH, e.reason());
    }

    @Test
    void nulByteIsMalformed() {
        ApplyException e = assertThrows(ApplyException.class, () -> clean("a\0b"));
        assertEquals(Reason.MALFORMED_TAR, e.reason());
    }

    @Test
    void keyIsLosslessForNamesThatAreNotUtf8() throws ApplyException {
        EntryPath p = EntryPath.clean(new byte[] {'d', '/', (byte) 0xff, (byte) 0xfe}, "x", "the path");
        assertEquals(4, p.key().length());
        assertEquals(0xff, p.key().charAt(2));
        assertTrue(p.toString().contains("\\xff\\xfe"), p.toString());
        assertEquals("d", p.parent().key());
    }
}
