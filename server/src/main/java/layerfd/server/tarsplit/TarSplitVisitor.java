package layerfd.server.tarsplit;

import java.io.IOException;
import layerfd.linux.OwnedFd;

/**
 * What {@link TarSplitWalker} hands on, in archive order. The layer tar is the concatenation of every segment and,
 * for every file with content, exactly {@code entry.size()} bytes of that file. {@link LayerAssembler} copies them
 * to a stream; a splitfdstream builder can inline small files and pass large ones as descriptors.
 */
public interface TarSplitVisitor {
    /** Raw archive bytes to be emitted verbatim. */
    void segment(TarSplitEntry.Segment segment) throws IOException;

    /**
     * A file with content ({@code entry.size() > 0}), opened and checked to be a regular file of exactly
     * {@code entry.size()} bytes. The walker closes {@code content} when this returns; a visitor that keeps the
     * descriptor takes it with {@link OwnedFd#release()} or {@link OwnedFd#dup()}. The CRC-64 is not checked
     * here: only reading the content can do that ({@link LayerAssembler#copyVerified}).
     */
    void file(TarSplitEntry.FileEntry entry, OwnedFd content) throws IOException;

    /** A file entry without content: directory, link, device, FIFO, whiteout or empty file. Nothing to copy. */
    default void emptyFile(TarSplitEntry.FileEntry entry) throws IOException {}
}
