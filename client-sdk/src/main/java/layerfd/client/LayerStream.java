package layerfd.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import layerfd.client.apply.LayerInput;
import layerfd.client.apply.Piece;
import layerfd.linux.FdInputStream;
import layerfd.linux.OwnedFd;
import layerfd.protocol.splitfdstream.ChunkHeader;
import layerfd.protocol.splitfdstream.SplitFdStreamReader;
import layerfd.protocol.splitfdstream.SplitFdStreams;

/**
 * One layer as a server streamed it (api-contract.md §3.1): the splitfdstream (fd 0 of the response, a sealed
 * memfd) and the content files it refers to (fds 1..K). This object owns all of them; {@link #close()} closes
 * every one. Read it as a tar ({@link #writeTar}) or as pieces for the applier ({@link #asLayerInput()}), as often
 * as needed: everything is read at explicit offsets, so nothing is consumed.
 */
public final class LayerStream implements AutoCloseable {
    /** Inline bytes are handed to the applier in pieces of at most this size, whatever the chunk size. */
    static final int INLINE_PIECE_BYTES = 1 << 20;

    private final String layerId;
    private final OwnedFd stream;
    private final List<OwnedFd> contents;
    private final long streamSize;

    LayerStream(String layerId, OwnedFd stream, List<OwnedFd> contents, long streamSize) {
        this.layerId = layerId;
        this.stream = stream;
        this.contents = List.copyOf(contents);
        this.streamSize = streamSize;
    }

    public String layerId() {
        return layerId;
    }

    /** Length of the splitfdstream itself (the server's {@code streamSize}). */
    public long streamSize() {
        return streamSize;
    }

    /** Number of external content files. */
    public int externalFiles() {
        return contents.size();
    }

    /**
     * Writes the layer's tar to {@code out} and returns its digest and length. With {@code expectedDigest}
     * present, a different digest fails the call (the bytes written are then not the layer: discard them).
     */
    public TarWritten writeTar(OutputStream out, Optional<String> expectedDigest, long expectedSize)
            throws IOException {
        MessageDigest sha256 = sha256();
        long written;
        try (InputStream in = new FdInputStream(stream)) {
            written = SplitFdStreams.reassemble(in, contents, new DigestOutputStream(out, sha256)).totalBytes();
        }
        String digest = "sha256:" + HexFormat.of().formatHex(sha256.digest());
        if (expectedDigest.isPresent() && !expectedDigest.get().equals(digest)) {
            throw new IOException("layer " + layerId + " reassembled to " + digest + " (" + written
                    + " bytes), not its diff-digest " + expectedDigest.get());
        }
        if (expectedSize >= 0 && expectedSize != written) {
            throw new IOException("layer " + layerId + " reassembled to " + written + " bytes, not its diff-size "
                    + expectedSize);
        }
        return new TarWritten(digest, written);
    }

    /** What {@link #writeTar} produced. */
    public record TarWritten(String digest, long size) {}

    /**
     * The layer as pieces for {@link layerfd.client.apply.LayerApplier}: inline bytes and external files, each
     * external piece owning a duplicate of its fd (an index may repeat, and the piece closes what it owns).
     */
    public LayerInput asLayerInput() {
        FdInputStream in = new FdInputStream(stream);
        SplitFdStreamReader reader = new SplitFdStreamReader(in);
        return new LayerInput() {
            private InputStream inline;

            @Override
            public Piece next() throws IOException {
                if (inline != null) {
                    byte[] bytes = inline.readNBytes(INLINE_PIECE_BYTES);
                    if (bytes.length > 0) {
                        return new Piece.InlineBytes(bytes);
                    }
                    inline = null;
                }
                Optional<ChunkHeader> header = reader.nextHeader();
                if (header.isEmpty()) {
                    return null;
                }
                if (header.get() instanceof ChunkHeader.ExternalHeader external) {
                    if (external.index() >= contents.size()) {
                        throw new IOException("layer " + layerId + ": stream refers to content file "
                                + external.index() + " but the server sent " + contents.size());
                    }
                    return new Piece.ExternalFile(contents.get(external.index()).dup());
                }
                inline = reader.inlineData();
                return next();
            }

            @Override
            public void close() {
                in.close();
            }
        };
    }

    @Override
    public void close() {
        List<OwnedFd> all = new ArrayList<>(contents);
        all.add(stream);
        all.forEach(OwnedFd::close);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
