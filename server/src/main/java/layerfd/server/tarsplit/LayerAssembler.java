package layerfd.server.tarsplit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import layerfd.linux.OwnedFd;
import layerfd.server.tarsplit.internal.ContentCopier;
import layerfd.server.tarsplit.internal.HashingOutputStream;

/**
 * Rebuilds a layer's original tar from its tar-split and the layer's files, byte for byte (vbatts/tar-split
 * {@code asm.WriteOutputTarStream}; containers-storage brief §3.3): segments verbatim, then for each file with
 * content exactly {@code size} bytes, checked against the entry's CRC-64; no padding is added, the next segment
 * carries it. The sha256 and length of everything emitted are measured and, when the layer record gives them,
 * checked against {@code diff-digest} and {@code diff-size}. Memory stays bounded by
 * {@link #COPY_BUFFER_BYTES} plus one tar-split entry, whatever the layer size. On any exception the bytes already
 * written are not the layer and must be discarded.
 */
public final class LayerAssembler {
    /** The one buffer file content passes through. */
    public static final int COPY_BUFFER_BYTES = 256 << 10;

    private final LayerFileOpener opener;

    public LayerAssembler(LayerFileOpener opener) {
        this.opener = opener;
    }

    /** Rebuilds from a gzip tar-split stream, which is closed at the end; {@code out} is left open. */
    public AssemblyResult assemble(InputStream tarSplitGzip, OutputStream out, ExpectedLayer expected)
            throws IOException {
        try (TarSplitReader reader = TarSplitReader.fromGzip(tarSplitGzip)) {
            return assemble(reader, out, expected);
        }
    }

    /** Rebuilds from a gzip tar-split stream without a layer record to check against. */
    public AssemblyResult assemble(InputStream tarSplitGzip, OutputStream out) throws IOException {
        return assemble(tarSplitGzip, out, ExpectedLayer.unknown());
    }

    /** Rebuilds from the entries {@code reader} has left; the reader is not closed. */
    public AssemblyResult assemble(TarSplitReader reader, OutputStream out, ExpectedLayer expected)
            throws IOException {
        HashingOutputStream hashing = new HashingOutputStream(out);
        try (ContentCopier copier = new ContentCopier(COPY_BUFFER_BYTES)) {
            CopyingVisitor visitor = new CopyingVisitor(copier, hashing);
            TarSplitWalker.walk(reader, opener, visitor);
            hashing.flush();
            AssemblyResult result = new AssemblyResult(hashing.digest(), hashing.count(), visitor.files,
                    visitor.fileBytes);
            check(result, expected);
            return result;
        }
    }

    /**
     * Copies exactly {@code entry.size()} bytes of {@code content} to {@code out}, from offset 0 with pread, and
     * checks the length and CRC-64 on the way; for a splitfdstream builder that inlines small files. Leaves
     * {@code content} open.
     */
    public static void copyVerified(TarSplitEntry.FileEntry entry, OwnedFd content, OutputStream out)
            throws IOException {
        // One byte more than the content, so the "longer than the entry" probe fits too.
        int buffer = (int) Math.min(COPY_BUFFER_BYTES, entry.size() + 1);
        try (ContentCopier copier = new ContentCopier(buffer)) {
            copier.copy(entry, content, out);
        }
    }

    private static void check(AssemblyResult result, ExpectedLayer expected) throws TarSplitIntegrityException {
        boolean sizeWrong = expected.diffSize() != ExpectedLayer.UNKNOWN_SIZE && expected.diffSize() != result.size();
        boolean digestWrong = expected.diffDigest().isPresent()
                && !expected.diffDigest().get().equals(result.sha256Digest());
        if (sizeWrong || digestWrong) {
            throw new TarSplitIntegrityException("rebuilt layer tar does not match the layer record: "
                    + result.sha256Digest() + " and " + result.size() + " bytes, record says "
                    + expected.diffDigest().orElse("(no diff-digest)") + " and "
                    + (expected.diffSize() == ExpectedLayer.UNKNOWN_SIZE ? "(unknown size)"
                            : expected.diffSize() + " bytes"));
        }
    }

    /** Segments and file content to one stream, counting files and content bytes. */
    private static final class CopyingVisitor implements TarSplitVisitor {
        private final ContentCopier copier;
        private final OutputStream out;
        private long files;
        private long fileBytes;

        CopyingVisitor(ContentCopier copier, OutputStream out) {
            this.copier = copier;
            this.out = out;
        }

        @Override
        public void segment(TarSplitEntry.Segment segment) throws IOException {
            segment.writeTo(out);
        }

        @Override
        public void file(TarSplitEntry.FileEntry entry, OwnedFd content) throws IOException {
            copier.copy(entry, content, out);
            files++;
            fileBytes += entry.size();
        }
    }
}
