package layerfd.protocol.splitfdstream;

import static layerfd.protocol.splitfdstream.SplitFdStreamException.Problem.BAD_ENTRY_HEADER;
import static layerfd.protocol.splitfdstream.SplitFdStreamException.Problem.CONTENT_SIZE_MISMATCH;
import static layerfd.protocol.splitfdstream.SplitFdStreamException.Problem.HEADER_NOT_INLINE;
import static layerfd.protocol.splitfdstream.SplitFdStreamException.Problem.MISSING_CONTENT;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import layerfd.linux.FileIo;
import layerfd.linux.OwnedFd;
import layerfd.protocol.splitfdstream.ChunkHeader.ExternalHeader;
import layerfd.protocol.splitfdstream.ChunkHeader.InlineHeader;
import layerfd.protocol.splitfdstream.internal.TarHeaderParser;

/**
 * Decodes the entry-framed dialect [B] that container-libs PR 651 emits (brief §1.2): per tar entry one inline
 * chunk holding the header blocks, then, for a regular file with size &gt; 0, exactly one content chunk (external,
 * or inline of exactly {@code size} bytes); no padding after content and no end-of-archive blocks. layerfd itself
 * emits the byte-exact dialect [A]; this decoder exists to read upstream servers.
 *
 * <p>Use {@link #next()} per entry and, for inline content, {@link #inlineContent()}; or {@link #toTar} to turn the
 * whole stream into a valid tar (padding and trailer added). Not thread-safe.
 */
public final class EntryFramedDecoder {
    /**
     * The longest header chunk accepted. Go's archive/tar caps a PAX record set or GNU long name at 1 MiB
     * ({@code maxSpecialFileSize}); twice that leaves room for the header blocks around it.
     */
    public static final int MAX_HEADER_CHUNK_BYTES = 2 * 1024 * 1024;
    private static final int BLOCK_BYTES = TarHeaderParser.BLOCK_BYTES;
    /** A tar archive ends with two zero blocks. */
    private static final int TRAILER_BYTES = 2 * BLOCK_BYTES;

    private final SplitFdStreamReader reader;

    public EntryFramedDecoder(SplitFdStreamReader reader) {
        this.reader = reader;
    }

    /** The next entry, or empty at a clean end of stream. Inline content is left unread for the caller. */
    public Optional<FramedEntry> next() throws IOException {
        Optional<ChunkHeader> first = reader.nextHeader();
        if (first.isEmpty()) {
            return Optional.empty();
        }
        if (!(first.get() instanceof InlineHeader header)) {
            // brief §1.2 [B]: the old Go iterator required the header chunk to be inline.
            throw new SplitFdStreamException(HEADER_NOT_INLINE, first.get().offset(),
                    "an entry must start with an inline tar header chunk, found an external chunk");
        }
        if (header.length() > MAX_HEADER_CHUNK_BYTES) {
            throw new SplitFdStreamException(BAD_ENTRY_HEADER, header.offset(), "header chunk of "
                    + header.length() + " bytes exceeds the limit of " + MAX_HEADER_CHUNK_BYTES);
        }
        byte[] headerBytes = reader.inlineData().readAllBytes();
        EntryHeader entry = TarHeaderParser.parse(headerBytes, header.offset());
        if (!entry.hasContent()) {
            return Optional.of(new FramedEntry(header.offset(), headerBytes, entry, Optional.empty()));
        }
        // brief §1.2 [B]: TypeReg with Size>0 is followed by exactly one content chunk.
        ChunkHeader content = reader.nextHeader().orElseThrow(() -> new SplitFdStreamException(MISSING_CONTENT,
                reader.position(), "the stream ends before the content of " + entry.name()));
        if (content instanceof InlineHeader inline && inline.length() != entry.size()) {
            throw new SplitFdStreamException(CONTENT_SIZE_MISMATCH, inline.offset(), "inline content of "
                    + entry.name() + " has " + inline.length() + " bytes, its tar header says " + entry.size());
        }
        return Optional.of(new FramedEntry(header.offset(), headerBytes, entry, Optional.of(content)));
    }

    /** The unread bytes of the current entry's inline content chunk. */
    public InputStream inlineContent() {
        return reader.inlineData();
    }

    /**
     * Rewrites a [B] stream as a valid tar: each header chunk, its content (inline, or the whole external file read
     * with pread(2) from offset 0), zero padding to a 512-byte boundary, and the two-block trailer. The result is a
     * tar of the same entries; it is not the layer's original bytes (brief §5: [B] re-serialises headers).
     *
     * @param contentFds the content fds without the stream fd; borrowed, not closed
     * @return the number of bytes written
     */
    public static long toTar(InputStream stream, List<OwnedFd> contentFds, OutputStream out) throws IOException {
        EntryFramedDecoder decoder = new EntryFramedDecoder(new SplitFdStreamReader(stream));
        long written = 0;
        for (Optional<FramedEntry> next; (next = decoder.next()).isPresent(); ) {
            FramedEntry entry = next.get();
            out.write(entry.headerBytes());
            written += entry.headerLength();
            if (entry.content().isPresent()) {
                long size = entry.header().size();
                long copied = switch (entry.content().get()) {
                    case InlineHeader ignored -> decoder.reader.transferInline(out);
                    case ExternalHeader external -> copyExternal(entry, external, contentFds, out);
                };
                written += copied + writeZeros(out, padding(size));
            }
        }
        return written + writeZeros(out, TRAILER_BYTES);
    }

    private static long copyExternal(FramedEntry entry, ExternalHeader external, List<OwnedFd> contentFds,
                                     OutputStream out) throws IOException {
        OwnedFd fd = SplitFdStreams.contentFd(external, contentFds);
        // brief §1.1: in [B] the external file's length must equal the tar header's Size; check before copying.
        long fileSize = FileIo.stat(fd.get()).size();
        if (fileSize != entry.header().size()) {
            throw new SplitFdStreamException(CONTENT_SIZE_MISMATCH, external.offset(), "content fd #"
                    + external.index() + " for " + entry.header().name() + " has " + fileSize
                    + " bytes, its tar header says " + entry.header().size());
        }
        long copied = SplitFdStreams.copyWholeFile(fd, out);
        if (copied != fileSize) {
            throw new SplitFdStreamException(CONTENT_SIZE_MISMATCH, external.offset(), "content fd #"
                    + external.index() + " changed size while being read: " + copied + " bytes, expected " + fileSize);
        }
        return copied;
    }

    private static int padding(long size) {
        return (int) ((BLOCK_BYTES - size % BLOCK_BYTES) % BLOCK_BYTES);
    }

    private static int writeZeros(OutputStream out, int count) throws IOException {
        out.write(new byte[count]);
        return count;
    }
}
