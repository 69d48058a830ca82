package layerfd.protocol.splitfdstream;

import java.util.Arrays;
import java.util.HexFormat;

/** One decoded splitfdstream chunk, as a value: inline bytes, or a reference to a content fd (brief §1.1). */
public sealed interface Chunk permits Chunk.Inline, Chunk.External {

    /** Creates an inline chunk holding a copy of {@code bytes}. */
    static Inline inline(byte[] bytes) {
        return new Inline(bytes);
    }

    /** Creates a reference to content fd {@code index}. */
    static External external(int index) {
        return new External(index);
    }

    /**
     * Raw bytes carried in the stream. Never empty: an empty inline chunk cannot be encoded (prefix 0 means
     * external #0). The array is copied in and out, so the value is immutable.
     */
    record Inline(byte[] bytes) implements Chunk {
        private static final int SHOWN_BYTES = 16;

        public Inline {
            if (bytes.length == 0) {
                throw new IllegalArgumentException("an inline chunk cannot be empty: prefix 0 means external #0");
            }
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        public int length() {
            return bytes.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Inline other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            String shown = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, SHOWN_BYTES));
            return "Inline[" + bytes.length + " bytes: " + shown + (bytes.length > SHOWN_BYTES ? "...]" : "]");
        }
    }

    /** The whole content of content fd {@code index} (fd-array position index+1 on the wire). */
    record External(int index) implements Chunk {
        public External {
            if (index < 0) {
                throw new IllegalArgumentException("external index must be 0.." + SplitFdStreamFormat.MAX_EXTERNAL_INDEX
                        + ", got " + index);
            }
        }
    }
}
