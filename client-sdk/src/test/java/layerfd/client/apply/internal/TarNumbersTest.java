package layerfd.client.apply.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import layerfd.client.apply.ApplyException;
import layerfd.client.testing.FdLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FdLeakCheck.class)
class TarNumbersTest {
    private static long parse(byte[] field) throws ApplyException {
        return TarNumbers.parse(field, 0, field.length, "test");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void octalWithSpaceAndNulPaddingOnEitherSide() throws ApplyException {
        assertEquals(0644, parse(ascii("0000644\0")));
        assertEquals(0644, parse(ascii("   644 \0")));
        assertEquals(8589934591L, parse(ascii("77777777777\0")));
    }

    @Test
    void blankFieldIsZero() throws ApplyException {
        assertEquals(0, parse(new byte[8]));
        assertEquals(0, parse(ascii("        ")));
    }

    @Test
    void base256PositiveAsGnuTarWritesLargeIds() throws ApplyException {
        byte[] field = new byte[8];
        field[0] = (byte) 0x80;
        field[5] = 0x2d;
        field[6] = (byte) 0xc6;
        field[7] = (byte) 0xc0; // 3000000
        assertEquals(3_000_000L, parse(field));
    }

    @Test
    void base256NegativeIsTwosComplement() throws ApplyException {
        byte[] field = new byte[12];
        java.util.Arrays.fill(field, (byte) 0xff);
        field[10] = (byte) 0xfc;
        field[11] = 0x18; // -1000
        assertEquals(-1000L, parse(field));
    }

    @Test
    void nonOctalDigitNamesTheField() {
        ApplyException e = assertThrows(ApplyException.class, () -> parse(ascii("0000948\0")));
        assertEquals("tar header field test: '0000948\\x00' is not an octal number", e.getMessage());
    }

    @Test
    void base256ThatOverflowsIsRefused() {
        byte[] field = new byte[12];
        java.util.Arrays.fill(field, (byte) 0x7f);
        field[0] = (byte) 0x80;
        field[1] = (byte) 0xff;
        assertThrows(ApplyException.class, () -> parse(field));
    }

    @Test
    void paxDecimalAcceptsDigitsOnly() throws ApplyException {
        assertEquals(123, TarNumbers.decimal(ascii("123"), "uid"));
        assertThrows(ApplyException.class, () -> TarNumbers.decimal(ascii("-1"), "uid"));
        assertThrows(ApplyException.class, () -> TarNumbers.decimal(ascii(""), "uid"));
        assertThrows(ApplyException.class, () -> TarNumbers.decimal(ascii("99999999999999999999"), "size"));
    }
}
