package layerfd.protocol.splitfdstream;

import static layerfd.protocol.splitfdstream.SplitFdStreamException.Problem.INDEX_TOO_LARGE;
import static layerfd.protocol.splitfdstream.SplitFdStreamException.Problem.INLINE_TOO_LARGE;
import static layerfd.protocol.splitfdstream.SplitFdStreamException.Problem.INVALID_PREFIX;
import static layerfd.protocol.splitfdstream.SplitFdStreamException.Problem.TRUNCATED_INLINE;
import static layerfd.protocol.splitfdstream.SplitFdStreamException.Problem.TRUNCATED_PREFIX;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.Optional;
import layerfd.protocol.splitfdstream.ChunkHeader.ExternalHeader;
import layerfd.protocol.splitfdstream.ChunkHeader.InlineHeader;
import layerfd.protocol.splitfdstream.internal.Prefix;

/**
 * Decodes a splitfdstream (format: {@link SplitFdStreamFormat}) one chunk at a time, holding at most one chunk.
 *
 * <p>Two ways to read: {@link #next()} returns whole {@link Chunk} values (inline data materialised); or
 * {@link #nextHeader()} returns only the prefix, after which {@link #inlineData()} or {@link #transferInline} stream
 * an inline chunk's bytes without holding them. Unread inline data is skipped by the next call to either.
 *
 * <p>Every defect raises a {@link SplitFdStreamException} naming the problem and the byte offset of the prefix at
 * fault. The reader does not own the input stream and never closes it. Not thread-safe.
 */
public final class SplitFdStreamReader {
    /** Java arrays stop a little short of 2^31; longer inline chunks can only be streamed. */
    public static final int MAX_MATERIALISED_CHUNK_BYTES = Integer.MAX_VALUE - 8;
    private static final int SKIP_BUFFER_BYTES = 64 * 1024;

    private final InputStream in;
    private final long maxInlineChunkBytes;
    private final byte[] prefix = new byte[SplitFdStreamFormat.PREFIX_BYTES];
    private long position;
    private InlineHeader currentInline;
    private long inlineRemaining;

    /** A reader that accepts inline chunks up to {@link SplitFdStreamFormat#MAX_INLINE_CHUNK_BYTES}, as Rust does. */
    public SplitFdStreamReader(InputStream in) {
        this(in, SplitFdStreamFormat.MAX_INLINE_CHUNK_BYTES);
    }

    /**
     * A reader with its own inline limit: lower to bound memory, or higher to read Go producers, whose writer has
     * no limit. Any inline chunk longer than {@code maxInlineChunkBytes} is rejected before its data is read.
     */
    public SplitFdStreamReader(InputStream in, long maxInlineChunkBytes) {
        if (maxInlineChunkBytes < 1) {
            throw new IllegalArgumentException("maxInlineChunkBytes must be at least 1, got " + maxInlineChunkBytes);
        }
        this.in = Objects.requireNonNull(in, "in");
        this.maxInlineChunkBytes = maxInlineChunkBytes;
    }

    /** Bytes of the stream consumed so far. */
    public long position() {
        return position;
    }

    /** The next chunk with its inline data read into memory, or empty at a clean end of stream. */
    public Optional<Chunk> next() throws IOException {
        Optional<ChunkHeader> header = nextHeader();
        if (header.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(switch (header.get()) {
            case ExternalHeader external -> external.chunk();
            case InlineHeader inline -> {
                if (inline.length() > MAX_MATERIALISED_CHUNK_BYTES) {
                    throw new SplitFdStreamException(INLINE_TOO_LARGE, inline.offset(), "inline chunk of "
                            + inline.length() + " bytes does not fit in an array; stream it with nextHeader()");
                }
                yield new Chunk.Inline(inlineData().readAllBytes());
            }
        });
    }

    /**
     * Reads the next prefix, skipping whatever the caller left unread of the previous inline chunk. Empty at a
     * clean end of stream (EOF exactly at a chunk boundary).
     */
    public Optional<ChunkHeader> nextHeader() throws IOException {
        skipInlineRemainder();
        long offset = position;
        int got = in.readNBytes(prefix, 0, prefix.length);
        position += got;
        if (got == 0) {
            return Optional.empty();
        }
        if (got < prefix.length) {
            // brief §1.1 "End of stream": Rust reads a partial prefix as a clean end; layerfd, like Go, does not.
            throw new SplitFdStreamException(TRUNCATED_PREFIX, offset, "the stream ends " + got
                    + " bytes into an " + prefix.length + "-byte chunk prefix");
        }
        long value = Prefix.decode(prefix);
        if (value == Long.MIN_VALUE) {
            // brief §1.1: -i64::MIN overflows; reject it explicitly.
            throw new SplitFdStreamException(INVALID_PREFIX, offset,
                    "prefix " + value + " (i64::MIN) is neither a valid length nor an index");
        }
        if (value < 0) {
            long length = -value;
            // brief §1.1 "Size limits": reject before reading any data, as Rust's MAX_INLINE_CHUNK_SIZE check does.
            if (length > maxInlineChunkBytes) {
                throw new SplitFdStreamException(INLINE_TOO_LARGE, offset, "inline chunk of " + length
                        + " bytes exceeds the limit of " + maxInlineChunkBytes + " bytes");
            }
            currentInline = new InlineHeader(offset, length);
            inlineRemaining = length;
            return Optional.of(currentInline);
        }
        // brief §1.1 "Index type": keep indices below 2^31 so no reader truncates them.
        if (value > SplitFdStreamFormat.MAX_EXTERNAL_INDEX) {
            throw new SplitFdStreamException(INDEX_TOO_LARGE, offset, "external index " + value
                    + " exceeds the largest index " + SplitFdStreamFormat.MAX_EXTERNAL_INDEX);
        }
        return Optional.of(new ExternalHeader(offset, (int) value));
    }

    /**
     * The unread data of the current inline chunk as a stream that ends with it. Reading past EOF of the underlying
     * stream raises {@code truncated-inline}. Closing the view does not close the underlying stream.
     */
    public InputStream inlineData() {
        if (currentInline == null) {
            throw new IllegalStateException("no inline chunk is current: call nextHeader() first");
        }
        return new InlineView();
    }

    /** Copies the unread data of the current inline chunk to {@code out}; returns the count copied. */
    public long transferInline(OutputStream out) throws IOException {
        return inlineData().transferTo(out);
    }

    private void skipInlineRemainder() throws IOException {
        if (inlineRemaining > 0) {
            byte[] scratch = new byte[(int) Math.min(SKIP_BUFFER_BYTES, inlineRemaining)];
            InputStream rest = new InlineView();
            while (rest.read(scratch, 0, scratch.length) > 0) {
                // discarded: the caller chose not to read this chunk's data
            }
        }
        currentInline = null;
    }

    /** A window on the current inline chunk's remaining bytes. */
    private final class InlineView extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : Byte.toUnsignedInt(one[0]);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (inlineRemaining == 0) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            int n = in.read(b, off, (int) Math.min(len, inlineRemaining));
            if (n < 0) {
                InlineHeader chunk = currentInline;
                long present = chunk.length() - inlineRemaining;
                throw new SplitFdStreamException(TRUNCATED_INLINE, chunk.offset(), "inline chunk announces "
                        + chunk.length() + " bytes but the stream ends after " + present);
            }
            inlineRemaining -= n;
            position += n;
            return n;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), inlineRemaining);
        }
    }
}
