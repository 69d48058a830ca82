package layerfd.server.stream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import layerfd.linux.OwnedFd;
import layerfd.protocol.splitfdstream.SplitFdStreamWriter;
import layerfd.server.tarsplit.LayerAssembler;
import layerfd.server.tarsplit.TarSplitEntry;
import layerfd.server.tarsplit.TarSplitVisitor;

/**
 * Turns a tar-split walk into a byte-exact splitfdstream (dialect [A], splitfdstream brief §1.2): segments and the
 * content of files of at most {@code inlineThreshold} bytes become inline data, each larger file an external chunk
 * with the next index (api-contract §3.3). Inlined content is copied with {@link LayerAssembler#copyVerified}, so its
 * CRC-64 is checked against tar-split; external files are checked for type and size by the walker (their content is
 * the consumer's to read). Adjacent inline data is merged into chunks of up to {@link #MERGED_INLINE_BYTES}, so a
 * layer of many small entries does not cost 8 bytes of prefix per 512-byte header.
 */
public final class SplitFdStreamBuilder implements TarSplitVisitor {
    /** Inline data is gathered up to this size before it becomes one chunk (far below the 256 MiB chunk limit). */
    public static final int MERGED_INLINE_BYTES = 1 << 20;

    private final SplitFdStreamWriter writer;
    private final long inlineThreshold;
    private final ExternalFiles externals;
    private final InlineBuffer pending = new InlineBuffer();
    private long tarBytes;

    public SplitFdStreamBuilder(SplitFdStreamWriter writer, long inlineThreshold, ExternalFiles externals) {
        this.writer = writer;
        this.inlineThreshold = inlineThreshold;
        this.externals = externals;
    }

    @Override
    public void segment(TarSplitEntry.Segment segment) throws IOException {
        segment.writeTo(pending);
        tarBytes += segment.length();
        drainIfFull();
    }

    @Override
    public void file(TarSplitEntry.FileEntry entry, OwnedFd content) throws IOException {
        tarBytes += entry.size();
        if (entry.size() <= inlineThreshold) {
            LayerAssembler.copyVerified(entry, content, pending);
            drainIfFull();
            return;
        }
        pending.drainTo(writer);
        writer.writeExternal(externals.add(entry, content));
    }

    /** Writes what is still gathered; call once after the walk. */
    public void finish() throws IOException {
        pending.drainTo(writer);
    }

    /** Length of the tar the stream rebuilds: every segment plus every file's content. */
    public long tarBytes() {
        return tarBytes;
    }

    private void drainIfFull() throws IOException {
        if (pending.size() >= MERGED_INLINE_BYTES) {
            pending.drainTo(writer);
        }
    }

    /** Gathered inline bytes, written as chunks without another copy. */
    private static final class InlineBuffer extends ByteArrayOutputStream {
        void drainTo(SplitFdStreamWriter out) throws IOException {
            out.writeInline(buf, 0, count);
            reset();
        }
    }
}
