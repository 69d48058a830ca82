package layerfd.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import layerfd.client.apply.LayerInput;
import layerfd.client.apply.Piece;
import layerfd.client.internal.ContentFds;
import layerfd.linux.FdInputStream;
import layerfd.linux.OwnedFd;
import layerfd.protocol.splitfdstream.ChunkHeader;
import layerfd.protocol.splitfdstream.SplitFdStreamReader;

/**
 * One layer as a server streamed it: the splitfdstream (a sealed memfd) and the content files it refers to,
 * all delivered at once (GetSplitFDStream) or a window at a time (OpenLayerStream). This object owns every fd;
 * {@link #close()} closes them (and the server-side stream). Read it as a tar ({@link #writeTar}) or as pieces for
 * the applier ({@link #asLayerInput()}); the stream is read at explicit offsets, never consumed.
 */
public final class LayerStream implements AutoCloseable {
    /** Inline bytes are handed to the applier in pieces of at most this size, whatever the chunk size. */
    static final int INLINE_PIECE_BYTES = 1 << 20;

    private final String layerId;
    private final OwnedFd stream;
    private final ContentFds contents;
    private final long streamSize;
    private final Optional<String> diffDigest;
    private final long diffSize;
    private final AutoCloseable onClose;

    LayerStream(String layerId, OwnedFd stream, ContentFds contents, long streamSize, Optional<String> diffDigest,
                long diffSize, AutoCloseable onClose) {
        this.layerId = layerId;
        this.stream = stream;
        this.contents = contents;
        this.streamSize = streamSize;
        this.diffDigest = diffDigest;
        this.diffSize = diffSize;
        this.onClose = onClose;
    }

    public String layerId() {
        return layerId;
    }

    /** Length of the splitfdstream itself. */
    public long streamSize() {
        return streamSize;
    }

    /** Number of external content files. */
    public int externalFiles() {
        return contents.count();
    }

    /** The layer's diff-digest when the server said it (OpenLayerStream does; GetSplitFDStream does not). */
    public Optional<String> diffDigest() {
        return diffDigest;
    }

    /**
     * Writes the layer's tar to {@code out} and returns its digest and length, checked against
     * {@code expectedDigest}/{@code expectedSize} (-1: unknown) when given, else against what the server said.
     * On a mismatch the call fails: the bytes written are then not the layer, discard them.
     */
    public TarWritten writeTar(OutputStream out, Optional<String> expectedDigest, long expectedSize)
            throws IOException {
        Optional<String> digestToCheck = expectedDigest.isPresent() ? expectedDigest : diffDigest;
        long sizeToCheck = expectedSize >= 0 ? expectedSize : diffSize;
        MessageDigest sha256 = sha256();
        long written = 0;
        try (FdInputStream in = new FdInputStream(stream);
             DigestOutputStream digesting = new DigestOutputStream(OutputStream.nullOutputStream(), sha256)) {
            SplitFdStreamReader reader = new SplitFdStreamReader(in);
            OutputStream both = new TeeOutputStream(out, digesting);
            for (Optional<ChunkHeader> h; (h = reader.nextHeader()).isPresent(); ) {
                if (h.get() instanceof ChunkHeader.ExternalHeader external) {
                    try (InputStream content = new FdInputStream(contents.borrow(external.index()))) {
                        written += content.transferTo(both);
                    }
                } else {
                    written += reader.transferInline(both);
                }
            }
        }
        String digest = "sha256:" + HexFormat.of().formatHex(sha256.digest());
        if (digestToCheck.isPresent() && !digestToCheck.get().equals(digest)) {
            throw new IOException("layer " + layerId + " reassembled to " + digest + " (" + written
                    + " bytes), not its diff-digest " + digestToCheck.get());
        }
        if (sizeToCheck >= 0 && sizeToCheck != written) {
            throw new IOException("layer " + layerId + " reassembled to " + written + " bytes, not its diff-size "
                    + sizeToCheck);
        }
        return new TarWritten(digest, written, digestToCheck.isPresent());
    }

    /** What {@link #writeTar} produced, and whether it was checked against a known digest. */
    public record TarWritten(String digest, long size, boolean verified) {}

    /**
     * The layer as pieces for {@link layerfd.client.apply.LayerApplier}: inline bytes and external files, each
     * external piece owning a duplicate of its fd (an index may repeat, and a piece closes what it owns).
     */
    public LayerInput asLayerInput() {
        FdInputStream in = new FdInputStream(stream);
        SplitFdStreamReader reader = new SplitFdStreamReader(in);
        return new LayerInput() {
            private InputStream inline;

            @Override
            public Piece next() throws IOException {
                while (true) {
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
                        return new Piece.ExternalFile(contents.borrow(external.index()).dup());
                    }
                    inline = reader.inlineData();
                }
            }

            @Override
            public void close() {
                in.close();
            }
        };
    }

    @Override
    public void close() {
        try (stream; contents; onClose) {
            // every owner closed, in reverse order, even if one fails
        } catch (Exception e) {
            // closing the server-side stream failed: the connection is gone, and the server closes it with that
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /** Writes every byte to two streams. */
    private static final class TeeOutputStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeOutputStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
