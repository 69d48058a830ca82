package layerfd.client.apply.internal;

import java.io.IOException;
import layerfd.client.apply.ApplyException;
import layerfd.client.apply.ApplyException.Reason;
import layerfd.client.apply.LayerInput;
import layerfd.client.apply.Piece;
import layerfd.client.apply.Piece.ExternalFile;
import layerfd.client.apply.Piece.InlineBytes;

/**
 * A read position in a layer's tar across {@link Piece}s. Inline bytes are consumed in whatever slices the pieces
 * happen to have; an external file is visible only where a caller asks for one (a regular file's data region), and
 * anywhere else it is a malformed stream. {@link #offset()} counts tar bytes, external file sizes included.
 */
public final class PieceCursor implements AutoCloseable {
    /** Receives inline bytes as slices of the pieces' own arrays, without copying. */
    @FunctionalInterface
    public interface SliceSink {
        void accept(byte[] bytes, int offset, int length) throws IOException;
    }

    private final LayerInput input;
    private InlineBytes inline;
    private int inlinePos;
    private ExternalFile external;
    private boolean ended;
    private long offset;

    PieceCursor(LayerInput input) {
        this.input = input;
    }

    long offset() {
        return offset;
    }

    /** Inline bytes left in the current piece, fetching the next piece when the current one is used up. */
    private int available() throws IOException {
        while (external == null && !ended && (inline == null || inlinePos == inline.length())) {
            Piece next = input.next();
            inline = null;
            inlinePos = 0;
            switch (next) {
                case null -> ended = true;
                case InlineBytes b -> inline = b;
                case ExternalFile f -> external = f;
            }
        }
        return inline == null ? 0 : inline.length() - inlinePos;
    }

    /** true when no byte and no external file is left. */
    boolean atEnd() throws IOException {
        return available() == 0 && external == null;
    }

    /**
     * Takes the external file that stands at the current position, or returns {@code null} when inline bytes (or the
     * end) come next. The caller owns the returned piece and reports its size through {@link #advance(long)}.
     */
    ExternalFile takeExternal() throws IOException {
        if (available() > 0) {
            return null;
        }
        ExternalFile f = external;
        external = null;
        return f;
    }

    /** Accounts for tar bytes delivered outside the cursor (an external file's content). */
    void advance(long bytes) {
        offset += bytes;
    }

    /**
     * Reads up to {@code length} inline bytes into {@code dst}; returns the count, 0 only at the end of the input.
     * An external file here is out of place: the caller is reading a header, padding or a special entry's data.
     */
    int read(byte[] dst, int dstOffset, int length, String what) throws IOException {
        int n = Math.min(available(), length);
        if (n == 0) {
            refuseExternal(what);
            return 0;
        }
        System.arraycopy(inline.bytes(), inline.offset() + inlinePos, dst, dstOffset, n);
        inlinePos += n;
        offset += n;
        return n;
    }

    /** Reads exactly {@code length} bytes or fails naming {@code what} was cut short. */
    void readFully(byte[] dst, int length, String what) throws IOException {
        int done = 0;
        while (done < length) {
            int n = read(dst, done, length - done, what);
            if (n == 0) {
                throw new ApplyException(Reason.MALFORMED_TAR,
                        "layer tar ends at offset " + offset + " inside " + what);
            }
            done += n;
        }
    }

    /** Hands {@code length} inline bytes to {@code sink}, slice by slice; fails naming {@code what} if cut short. */
    void transfer(long length, SliceSink sink, String what) throws IOException {
        long left = length;
        while (left > 0) {
            int n = (int) Math.min(available(), left);
            if (n == 0) {
                refuseExternal(what);
                throw new ApplyException(Reason.MALFORMED_TAR,
                        "layer tar ends at offset " + offset + " inside " + what);
            }
            sink.accept(inline.bytes(), inline.offset() + inlinePos, n);
            inlinePos += n;
            offset += n;
            left -= n;
        }
    }

    /** Skips {@code length} inline bytes. */
    void skip(long length, String what) throws IOException {
        transfer(length, (b, o, l) -> { }, what);
    }

    /** Consumes everything left (bytes after the end-of-archive blocks), closing any external file in it. */
    void skipToEnd() throws IOException {
        while (!atEnd()) {
            if (external != null) {
                external.close();
                external = null;
            } else {
                int n = available();
                inlinePos += n;
                offset += n;
            }
        }
    }

    private void refuseExternal(String what) throws ApplyException {
        if (external != null) {
            throw new ApplyException(Reason.MALFORMED_TAR,
                    "an external file stands where " + what + " belongs (tar offset " + offset + ")");
        }
    }

    /** Closes a pending external file and the input, with everything it still holds. */
    @Override
    public void close() throws IOException {
        try {
            if (external != null) {
                external.close();
                external = null;
            }
        } finally {
            input.close();
        }
    }
}
