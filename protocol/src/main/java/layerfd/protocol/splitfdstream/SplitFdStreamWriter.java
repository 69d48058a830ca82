package layerfd.protocol.splitfdstream;

import java.io.EOFException;
import java.io.Flushable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import layerfd.protocol.splitfdstream.internal.Prefix;

/**
 * Encodes a splitfdstream (format: {@link SplitFdStreamFormat}) onto an output stream it does not own.
 *
 * <p>Inline data longer than the chunk limit is split into several chunks of at most the limit each, so Rust
 * consumers (which reject inline chunks over 256 MiB) accept the stream; empty inline data writes nothing, because
 * an empty chunk's prefix 0 would mean external #0 (brief §1.1). The writer adds no buffering: wrap the output in a
 * {@code BufferedOutputStream} for many small chunks. Not thread-safe.
 */
public final class SplitFdStreamWriter implements Flushable {
    private static final int COPY_BUFFER_BYTES = 64 * 1024;

    private final OutputStream out;
    private final long maxInlineChunkBytes;
    private final byte[] prefix = new byte[SplitFdStreamFormat.PREFIX_BYTES];
    private long bytesWritten;

    /** A writer whose inline chunks are at most {@link SplitFdStreamFormat#MAX_INLINE_CHUNK_BYTES}. */
    public SplitFdStreamWriter(OutputStream out) {
        this(out, SplitFdStreamFormat.MAX_INLINE_CHUNK_BYTES);
    }

    /**
     * A writer with a smaller inline chunk size ({@code 1..MAX_INLINE_CHUNK_BYTES}); larger would produce streams
     * Rust consumers reject.
     */
    public SplitFdStreamWriter(OutputStream out, long maxInlineChunkBytes) {
        if (maxInlineChunkBytes < 1 || maxInlineChunkBytes > SplitFdStreamFormat.MAX_INLINE_CHUNK_BYTES) {
            throw new IllegalArgumentException("maxInlineChunkBytes must be 1.."
                    + SplitFdStreamFormat.MAX_INLINE_CHUNK_BYTES + ", got " + maxInlineChunkBytes);
        }
        this.out = Objects.requireNonNull(out, "out");
        this.maxInlineChunkBytes = maxInlineChunkBytes;
    }

    /** Bytes written so far: prefixes and inline data. */
    public long bytesWritten() {
        return bytesWritten;
    }

    public void writeInline(byte[] bytes) throws IOException {
        writeInline(bytes, 0, bytes.length);
    }

    /** Writes {@code bytes[off..off+len)} as one or more inline chunks; {@code len == 0} writes nothing. */
    public void writeInline(byte[] bytes, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, bytes.length);
        int done = 0;
        while (done < len) {
            int n = (int) Math.min(len - done, maxInlineChunkBytes);
            writePrefix(-(long) n);
            out.write(bytes, off + done, n);
            bytesWritten += n;
            done += n;
        }
    }

    /**
     * Copies exactly {@code length} bytes of {@code source} as one or more inline chunks without holding them.
     * Each chunk's prefix is written before its data, so if {@code source} ends early the output is left
     * truncated and an {@link EOFException} says so; discard that output.
     */
    public void writeInline(InputStream source, long length) throws IOException {
        if (length < 0) {
            throw new IllegalArgumentException("negative inline length: " + length);
        }
        byte[] buffer = new byte[(int) Math.min(COPY_BUFFER_BYTES, Math.max(length, 1))];
        long done = 0;
        while (done < length) {
            long chunk = Math.min(length - done, maxInlineChunkBytes);
            writePrefix(-chunk);
            for (long left = chunk; left > 0; ) {
                int n = source.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new EOFException("inline source ended after " + (done + chunk - left) + " of " + length
                            + " bytes; the stream written so far is truncated");
                }
                out.write(buffer, 0, n);
                bytesWritten += n;
                left -= n;
            }
            done += chunk;
        }
    }

    /** Writes a reference to content fd {@code index} ({@code 0..MAX_EXTERNAL_INDEX}). */
    public void writeExternal(int index) throws IOException {
        if (index < 0) {
            throw new IllegalArgumentException("external index must be 0.." + SplitFdStreamFormat.MAX_EXTERNAL_INDEX
                    + ", got " + index);
        }
        writePrefix(index);
    }

    /** Writes {@code chunk} as it is (an inline chunk of any length up to the limit stays one chunk or splits). */
    public void write(Chunk chunk) throws IOException {
        switch (chunk) {
            case Chunk.Inline inline -> writeInline(inline.bytes());
            case Chunk.External external -> writeExternal(external.index());
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    private void writePrefix(long value) throws IOException {
        Prefix.encode(value, prefix);
        out.write(prefix);
        bytesWritten += prefix.length;
    }
}
