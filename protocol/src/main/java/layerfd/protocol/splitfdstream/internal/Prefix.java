package layerfd.protocol.splitfdstream.internal;

import layerfd.protocol.splitfdstream.SplitFdStreamFormat;

/** The 8-byte signed little-endian chunk prefix (splitfdstream brief §1.1), encoded and decoded by hand. */
public final class Prefix {
    private Prefix() {}

    /** Writes {@code value} little-endian into {@code buf[0..8)}. */
    public static void encode(long value, byte[] buf) {
        for (int i = 0; i < SplitFdStreamFormat.PREFIX_BYTES; i++) {
            buf[i] = (byte) (value >>> (8 * i));
        }
    }

    /** Reads a little-endian int64 from {@code buf[0..8)}. */
    public static long decode(byte[] buf) {
        long value = 0;
        for (int i = SplitFdStreamFormat.PREFIX_BYTES - 1; i >= 0; i--) {
            value = (value << 8) | Byte.toUnsignedLong(buf[i]);
        }
        return value;
    }
}
