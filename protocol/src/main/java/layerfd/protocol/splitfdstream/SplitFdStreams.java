package layerfd.protocol.splitfdstream;

import static layerfd.protocol.splitfdstream.SplitFdStreamException.Problem.INDEX_OUT_OF_RANGE;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import layerfd.linux.FdInputStream;
import layerfd.linux.OwnedFd;
import layerfd.protocol.splitfdstream.ChunkHeader.ExternalHeader;
import layerfd.protocol.splitfdstream.ChunkHeader.InlineHeader;

/** Operations on whole splitfdstreams. */
public final class SplitFdStreams {
    private SplitFdStreams() {}

    /**
     * Rebuilds the byte-exact payload of a dialect [A] stream (brief §1.2): every inline chunk's bytes, and for
     * every external chunk the FULL content of {@code contentFds.get(index)} read with pread(2) from offset 0 to
     * EOF. Received fds share their offset with the sender, so the current offset is neither used nor moved
     * (brief §1.1). An index may repeat. Streaming: at most one 64 KiB buffer is held.
     *
     * @param contentFds the content fds WITHOUT the stream fd (wire position N+1 is index N); borrowed, not closed
     * @throws SplitFdStreamException for a malformed stream or an index with no content fd
     */
    public static ReassemblyStats reassemble(InputStream stream, List<OwnedFd> contentFds, OutputStream out)
            throws IOException {
        return reassemble(new SplitFdStreamReader(stream), contentFds, out);
    }

    /** As {@link #reassemble(InputStream, List, OutputStream)}, with a reader configured by the caller. */
    public static ReassemblyStats reassemble(SplitFdStreamReader reader, List<OwnedFd> contentFds, OutputStream out)
            throws IOException {
        long chunks = 0;
        long inlineBytes = 0;
        long externalBytes = 0;
        for (Optional<ChunkHeader> next; (next = reader.nextHeader()).isPresent(); chunks++) {
            switch (next.get()) {
                case InlineHeader ignored -> inlineBytes += reader.transferInline(out);
                case ExternalHeader external -> externalBytes += copyWholeFile(contentFd(external, contentFds), out);
            }
        }
        return new ReassemblyStats(chunks, inlineBytes, externalBytes);
    }

    /** The content fd an external chunk names, or a clear error naming the index and how many fds there are. */
    static OwnedFd contentFd(ExternalHeader external, List<OwnedFd> contentFds) throws SplitFdStreamException {
        if (external.index() >= contentFds.size()) {
            throw new SplitFdStreamException(INDEX_OUT_OF_RANGE, external.offset(), "external chunk names content fd #"
                    + external.index() + " but only " + contentFds.size() + " content fds were given");
        }
        return contentFds.get(external.index());
    }

    /** Copies {@code fd} from offset 0 to EOF with pread(2); returns the count. */
    static long copyWholeFile(OwnedFd fd, OutputStream out) throws IOException {
        try (FdInputStream content = new FdInputStream(fd)) {
            return content.transferTo(out);
        }
    }
}
