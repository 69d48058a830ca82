package layerfd.server.stream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import layerfd.linux.FdOutputStream;
import layerfd.linux.MemFd;
import layerfd.linux.OwnedFd;
import layerfd.protocol.splitfdstream.SplitFdStreamWriter;
import layerfd.server.store.LayerContent;
import layerfd.server.store.LayerRecord;
import layerfd.server.tarsplit.LayerFileOpener;
import layerfd.server.tarsplit.TarSplitIntegrityException;
import layerfd.server.tarsplit.TarSplitReader;
import layerfd.server.tarsplit.TarSplitWalker;

/** Builds the splitfdstream of one opened layer into a memfd. */
public final class LayerStreams {
    /** The name every stream memfd carries (api-contract §3.1; container-libs names it the same). */
    public static final String MEMFD_NAME = "splitfdstream";
    /** Write buffer between the stream writer and pwrite(2) on the memfd. */
    static final int WRITE_BUFFER_BYTES = FdOutputStream.BUFFER_BYTES;

    private LayerStreams() {}

    /**
     * Walks the layer's tar-split and writes its stream into a new memfd named {@value #MEMFD_NAME}, sealed against
     * writes, shrinking, growing and further seals (api-contract §3.1), its offset still 0 because it is written with
     * pwrite(2). Files are opened through {@code files} ({@code content.files()}, or the userns helper's opener for
     * a rootless store). The rebuilt tar's length is checked against the record's {@code diff-size} when known.
     * Nothing here waits on a client, and the store's locks need not be held: {@code content} holds its own
     * descriptors.
     */
    public static BuiltStream build(LayerContent content, LayerFileOpener files, long inlineThreshold,
                                    ExternalFiles externals) throws IOException {
        OwnedFd memfd = MemFd.create(MEMFD_NAME);
        try {
            long streamSize;
            long tarSize;
            try (FdOutputStream fdOut = new FdOutputStream(memfd);
                 BufferedOutputStream buffered = new BufferedOutputStream(fdOut, WRITE_BUFFER_BYTES);
                 TarSplitReader reader = TarSplitReader.fromGzip(content.openTarSplit())) {
                SplitFdStreamWriter writer = new SplitFdStreamWriter(buffered);
                SplitFdStreamBuilder builder = new SplitFdStreamBuilder(writer, inlineThreshold, externals);
                TarSplitWalker.walk(reader, files, builder);
                builder.finish();
                writer.flush();
                streamSize = writer.bytesWritten();
                tarSize = builder.tarBytes();
            }
            checkSize(content.layer(), tarSize);
            MemFd.sealImmutable(memfd.get());
            BuiltStream built = new BuiltStream(memfd, streamSize, tarSize, externals.count());
            memfd = null;
            return built;
        } finally {
            if (memfd != null) {
                memfd.close();
            }
        }
    }

    private static void checkSize(LayerRecord layer, long tarSize) throws TarSplitIntegrityException {
        if (layer.diffSize() != LayerRecord.UNKNOWN_SIZE && layer.diffSize() != tarSize) {
            throw new TarSplitIntegrityException("layer " + layer.id() + ": its tar-split rebuilds " + tarSize
                    + " bytes, but the layer record's diff-size is " + layer.diffSize());
        }
    }
}
