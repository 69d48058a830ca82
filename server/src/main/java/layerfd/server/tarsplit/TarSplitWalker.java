package layerfd.server.tarsplit;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import layerfd.linux.FileIo;
import layerfd.linux.OwnedFd;

/**
 * The walk behind every use of a tar-split (vbatts/tar-split {@code asm.WriteOutputTarStream}; containers-storage
 * brief §3.3): entries in order; segments as they are; for each file with content, its descriptor from the
 * {@link LayerFileOpener}, opened one at a time and closed at once. Before a file reaches the visitor, the walk
 * checks what can be checked without reading it: the name is safe ({@link LayerPath#clean}), the entry carries a
 * CRC-64, and the file's size on disk equals the entry's {@code size}.
 */
public final class TarSplitWalker {
    private TarSplitWalker() {}

    /** Reads {@code reader} to its end, calling {@code visitor} for every entry; returns the number of entries. */
    public static long walk(TarSplitReader reader, LayerFileOpener opener, TarSplitVisitor visitor)
            throws IOException {
        for (Optional<TarSplitEntry> next = reader.next(); next.isPresent(); next = reader.next()) {
            switch (next.get()) {
                case TarSplitEntry.Segment segment -> visitor.segment(segment);
                case TarSplitEntry.FileEntry file when !file.hasContent() -> visitor.emptyFile(file);
                case TarSplitEntry.FileEntry file -> {
                    try (OwnedFd content = openChecked(file, reader.entriesRead(), opener)) {
                        visitor.file(file, content);
                    }
                }
            }
        }
        return reader.entriesRead();
    }

    private static OwnedFd openChecked(TarSplitEntry.FileEntry file, long entryNumber, LayerFileOpener opener)
            throws IOException {
        // Defence in depth: refuse unsafe names even if an opener forgot to clean them.
        LayerPath.clean(file.name());
        if (file.crc64().isEmpty()) {
            // Go compares the CRC of the content with the payload, so a file with content and a null payload
            // can never be rebuilt by podman either.
            throw new TarSplitIntegrityException("tar-split entry " + entryNumber + ": file " + file.printableName()
                    + " has " + file.size() + " bytes but no CRC-64 payload");
        }
        OwnedFd content;
        try {
            content = opener.open(file.name());
        } catch (NoSuchFileException e) {
            throw new TarSplitIntegrityException("layer file " + file.printableName() + " (tar-split entry "
                    + entryNumber + ", " + file.size() + " bytes) is missing from the layer: " + e.getMessage(), e);
        }
        try {
            long actual = FileIo.stat(content.get()).size();
            if (actual != file.size()) {
                throw new TarSplitIntegrityException("layer file " + file.printableName() + " has " + actual
                        + " bytes, but tar-split entry " + entryNumber + " says " + file.size());
            }
            return content;
        } catch (IOException | RuntimeException e) {
            content.close();
            throw e;
        }
    }
}
