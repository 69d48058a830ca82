package layerfd.protocol.splitfdstream;

/**
 * The splitfdstream wire format (splitfdstream brief §1.1) and its limits.
 *
 * <p>A stream is a plain sequence of chunks with no header, footer, checksum or alignment. Every chunk starts with
 * an 8-byte signed two's-complement little-endian prefix:
 *
 * <pre>
 * Inline chunk (prefix &lt; 0): -prefix raw bytes follow, no padding.
 *
 *   +--------------------------+------------------------+
 *   | prefix (int64 LE) = -5   | 68 65 6c 6c 6f         |
 *   | fb ff ff ff ff ff ff ff  | "hello"                |
 *   +--------------------------+------------------------+
 *      8 bytes                    5 bytes
 *
 * External chunk (prefix &gt;= 0): nothing follows; the value is a content fd index.
 *
 *   +--------------------------+
 *   | prefix (int64 LE) = 1    |   the WHOLE file of content fd #1 (offset 0 to EOF),
 *   | 01 00 00 00 00 00 00 00  |   which is fd-array position 2 on the wire
 *   +--------------------------+
 *
 * A stream of 3 chunks:  [-512][512 bytes][0][-1144][1144 bytes]   (brief §1.3, dialect [A])
 * </pre>
 *
 * <p>Content fds are numbered from 0 without the stream fd: on the wire the stream fd is fd-array position 0, so
 * index N is position N+1. The stream ends with EOF at a chunk boundary.
 *
 * <p>layerfd's choices, where upstream readers differ (brief §7):
 * <ul>
 *   <li>{@code Long.MIN_VALUE} is rejected (it has no positive negation; Rust overflows on it).</li>
 *   <li>Indices above {@link #MAX_EXTERNAL_INDEX} are rejected (Rust silently truncates to u32, Go uses int).</li>
 *   <li>A partial prefix of 1–7 bytes at EOF is an error, as in Go; Rust treats it as a clean end.</li>
 *   <li>Inline chunks longer than {@link #MAX_INLINE_CHUNK_BYTES} are rejected before their data is read, as in
 *   Rust; writers split longer inline data into several chunks (Go's writer has no limit).</li>
 *   <li>An empty inline chunk cannot be encoded (its prefix 0 means external #0), so writers never emit one.</li>
 * </ul>
 */
public final class SplitFdStreamFormat {
    /** Every chunk starts with one little-endian int64. */
    public static final int PREFIX_BYTES = Long.BYTES;
    /** Rust's {@code MAX_INLINE_CHUNK_SIZE}: the longest inline chunk a Rust consumer accepts, 256 MiB. */
    public static final long MAX_INLINE_CHUNK_BYTES = 256L * 1024 * 1024;
    /** The largest external index layerfd reads or writes, 2^31-1, so every reader's integer type holds it. */
    public static final int MAX_EXTERNAL_INDEX = Integer.MAX_VALUE;
    /** Media type of a splitfdstream (cstor-rs {@code protocol.rs}). */
    public static final String MEDIA_TYPE = "application/vnd.containers.splitfdstream";

    private SplitFdStreamFormat() {}
}
