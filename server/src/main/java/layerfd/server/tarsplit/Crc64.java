package layerfd.server.tarsplit;

import java.util.Objects;
import java.util.zip.Checksum;

/**
 * CRC-64/GO-ISO: Go's {@code hash/crc64} with {@code crc64.MakeTable(crc64.ISO)}, the checksum tar-split stores
 * for every file (containers-storage brief §3.2). Reflected polynomial 0xD800000000000000, initial value and final
 * xor all ones, so {@code "123456789"} gives 0xB90956C775A41001. tar-split writes the 8 bytes of
 * {@link #getValue()} big-endian into the entry's {@code payload}; {@link #toBytes()} gives exactly those bytes.
 *
 * <p>Updates use slicing-by-8 (eight 256-entry tables, eight input bytes per step), the same result as Go's
 * byte-at-a-time loop, several times faster on multi-gigabyte layers. Not thread-safe, like every {@link Checksum}.
 */
public final class Crc64 implements Checksum {
    /** The ISO 3309 polynomial x^64 + x^4 + x^3 + x + 1, bit-reversed (Go: {@code crc64.ISO}). */
    public static final long ISO_POLYNOMIAL_REFLECTED = 0xD800000000000000L;
    /** Length of the big-endian encoding in a tar-split {@code payload}. */
    public static final int BYTES = Long.BYTES;

    private static final int SLICES = 8;
    private static final long[][] TABLES = makeTables();

    private long crc;

    /** Go's {@code crc64.Checksum(data, crc64.MakeTable(crc64.ISO))}. */
    public static long checksum(byte[] data) {
        Crc64 c = new Crc64();
        c.update(data, 0, data.length);
        return c.getValue();
    }

    @Override
    public void update(int b) {
        long c = ~crc;
        c = TABLES[0][(int) ((c ^ b) & 0xff)] ^ (c >>> 8);
        crc = ~c;
    }

    @Override
    public void update(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        long c = ~crc;
        int i = off;
        int end = off + len;
        long[] t0 = TABLES[0];
        for (; end - i >= SLICES; i += SLICES) {
            // Little-endian load of 8 bytes: the reflected CRC consumes the lowest byte first.
            c ^= (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24
                    | (b[i + 4] & 0xffL) << 32 | (b[i + 5] & 0xffL) << 40 | (b[i + 6] & 0xffL) << 48
                    | (b[i + 7] & 0xffL) << 56;
            c = TABLES[7][(int) (c & 0xff)] ^ TABLES[6][(int) ((c >>> 8) & 0xff)]
                    ^ TABLES[5][(int) ((c >>> 16) & 0xff)] ^ TABLES[4][(int) ((c >>> 24) & 0xff)]
                    ^ TABLES[3][(int) ((c >>> 32) & 0xff)] ^ TABLES[2][(int) ((c >>> 40) & 0xff)]
                    ^ TABLES[1][(int) ((c >>> 48) & 0xff)] ^ t0[(int) (c >>> 56)];
        }
        for (; i < end; i++) {
            c = t0[(int) ((c ^ b[i]) & 0xff)] ^ (c >>> 8);
        }
        crc = ~c;
    }

    /** The CRC of everything so far; 0 for no input, as in Go. */
    @Override
    public long getValue() {
        return crc;
    }

    @Override
    public void reset() {
        crc = 0;
    }

    /** {@link #getValue()} as the 8 big-endian bytes tar-split stores in {@code payload} (Go {@code Sum(nil)}). */
    public byte[] toBytes() {
        return toBytes(crc);
    }

    /** The 8 big-endian bytes of {@code value}. */
    public static byte[] toBytes(long value) {
        byte[] out = new byte[BYTES];
        for (int i = 0; i < BYTES; i++) {
            out[i] = (byte) (value >>> (8 * (BYTES - 1 - i)));
        }
        return out;
    }

    /** Hex of the 8 payload bytes, as error messages and the vectors print it. */
    public static String toHex(long value) {
        return String.format("%016x", value);
    }

    private static long[][] makeTables() {
        long[][] t = new long[SLICES][256];
        for (int n = 0; n < 256; n++) {
            long c = n;
            for (int k = 0; k < 8; k++) {
                c = (c >>> 1) ^ ((c & 1) != 0 ? ISO_POLYNOMIAL_REFLECTED : 0);
            }
            t[0][n] = c;
        }
        // Table k advances a byte through k further zero bytes, which lets one step consume 8 bytes at once.
        for (int n = 0; n < 256; n++) {
            for (int k = 1; k < SLICES; k++) {
                long prev = t[k - 1][n];
                t[k][n] = t[0][(int) (prev & 0xff)] ^ (prev >>> 8);
            }
        }
        return t;
    }
}
