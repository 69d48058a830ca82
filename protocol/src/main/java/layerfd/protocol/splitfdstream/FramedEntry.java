package layerfd.protocol.splitfdstream;

import java.util.Objects;
import java.util.Optional;

/**
 * One entry of an entry-framed [B] stream: the offset of its header chunk, the header chunk's bytes (one or more
 * 512-byte tar blocks), what they say, and the header of its content chunk when the entry has content. The header
 * bytes are copied in and out, so the value is immutable.
 */
public record FramedEntry(long offset, byte[] headerBytes, EntryHeader header, Optional<ChunkHeader> content) {
    public FramedEntry {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(content, "content");
        headerBytes = headerBytes.clone();
    }

    @Override
    public byte[] headerBytes() {
        return headerBytes.clone();
    }

    public int headerLength() {
        return headerBytes.length;
    }
}
