package layerfd.server.tarsplit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Crc64Test {
    private static final long CHECK_123456789 = 0xB90956C775A41001L;

    /** Go's loop from containers-storage brief §3.2, one byte at a time: the reference the fast path must match. */
    private static long byteAtATime(byte[] data, int off, int len) {
        long[] table = new long[256];
        for (int n = 0; n < 256; n++) {
            long c = n;
            for (int k = 0; k < 8; k++) {
                c = (c >>> 1) ^ ((c & 1) != 0 ? 0xD800000000000000L : 0);
            }
            table[n] = c;
        }
        long crc = ~0L;
        for (int i = off; i < off + len; i++) {
            crc = table[(int) ((crc ^ data[i]) & 0xff)] ^ (crc >>> 8);
        }
        return ~crc;
    }

    @Test
    void checkValueOf123456789IsGoIsoValue() {
        assertEquals(CHECK_123456789, Crc64.checksum("123456789".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void emptyInputIsZeroAsInGo() {
        assertEquals(0L, Crc64.checksum(new byte[0]));
        assertEquals(0L, new Crc64().getValue());
    }

    @Test
    void payloadBytesAreBigEndian() {
        Crc64 crc = new Crc64();
        crc.update("123456789".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(new byte[] {(byte) 0xB9, 0x09, 0x56, (byte) 0xC7, 0x75, (byte) 0xA4, 0x10, 0x01},
                crc.toBytes());
        assertEquals("b90956c775a41001", Crc64.toHex(crc.getValue()));
    }

    @Test
    void slicingByEightMatchesByteAtATimeForEveryLengthAndOffset() {
        byte[] data = new byte[300];
        new Random(42).nextBytes(data);
        for (int off = 0; off < 9; off++) {
            for (int len = 0; off + len <= data.length; len++) {
                Crc64 crc = new Crc64();
                crc.update(data, off, len);
                assertEquals(byteAtATime(data, off, len), crc.getValue(), "off " + off + " len " + len);
            }
        }
    }

    @Test
    void updatesInPiecesEqualOneUpdate() {
        byte[] data = new byte[10_000];
        new Random(7).nextBytes(data);
        Crc64 pieces = new Crc64();
        pieces.update(data, 0, 3);
        pieces.update(data[3]);
        pieces.update(data, 4, 4093);
        pieces.update(data, 4097, data.length - 4097);
        assertEquals(Crc64.checksum(data), pieces.getValue());
        pieces.reset();
        assertEquals(0L, pieces.getValue());
    }
}
