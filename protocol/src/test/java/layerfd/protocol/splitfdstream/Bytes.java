package layerfd.protocol.splitfdstream;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Byte-level helpers for the codec tests: hand-encoded prefixes and chunks, and a one-byte-at-a-time source. */
final class Bytes {
    private Bytes() {}

    static byte[] prefix(long value) {
        return ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
    }

    static byte[] inline(byte[] data) {
        return concat(prefix(-(long) data.length), data);
    }

    static byte[] external(long index) {
        return prefix(index);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Delivers at most one byte per read call: the awkward split that finds partial-read bugs (Okio habit). */
    static InputStream oneByteAtATime(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                return super.read(b, off, Math.min(len, 1));
            }
        };
    }
}
