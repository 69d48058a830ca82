package layerfd.protocol.splitfdstream;

import java.nio.charset.StandardCharsets;

/** Builds ustar header blocks and PAX extended headers for the entry-framed tests (POSIX ustar layout). */
final class TarBlocks {
    static final int BLOCK = 512;

    private TarBlocks() {}

    static byte[] ustar(String name, char type, long size) {
        byte[] block = new byte[BLOCK];
        put(block, 0, name);
        put(block, 100, octal(0644, 8));
        put(block, 108, octal(0, 8));
        put(block, 116, octal(0, 8));
        put(block, 124, octal(size, 12));
        put(block, 136, octal(0, 12));
        block[156] = (byte) type;
        put(block, 257, "ustar\0");
        put(block, 263, "00");
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : Byte.toUnsignedInt(block[i]);
        }
        put(block, 148, String.format("%06o\0 ", sum));
        return block;
    }

    /** A PAX 'x' header with its records and padding, to put before an entry's ustar block. */
    static byte[] pax(String... keyValues) {
        StringBuilder records = new StringBuilder();
        for (int i = 0; i < keyValues.length; i += 2) {
            String body = " " + keyValues[i] + "=" + keyValues[i + 1] + "\n";
            int length = body.length() + 1;
            while (String.valueOf(length).length() + body.length() != length) {
                length++;
            }
            records.append(length).append(body);
        }
        byte[] data = records.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (data.length + BLOCK - 1) / BLOCK * BLOCK;
        return Bytes.concat(ustar("PaxHeaders/x", 'x', data.length), data, new byte[padded - data.length]);
    }

    private static String octal(long value, int width) {
        return String.format("%0" + (width - 1) + "o\0", value);
    }

    private static void put(byte[] block, int offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, block, offset, bytes.length);
    }
}
