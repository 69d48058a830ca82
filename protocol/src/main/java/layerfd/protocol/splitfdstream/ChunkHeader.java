package layerfd.protocol.splitfdstream;

/**
 * A decoded chunk prefix and where it sits in the stream, before any inline data is read: what
 * {@link SplitFdStreamReader#nextHeader()} returns so that large inline chunks can be streamed.
 */
public sealed interface ChunkHeader permits ChunkHeader.InlineHeader, ChunkHeader.ExternalHeader {

    /** Byte offset of the prefix in the stream. */
    long offset();

    /** An inline chunk: {@code length} (at least 1) bytes of data follow the prefix. */
    record InlineHeader(long offset, long length) implements ChunkHeader {
        public InlineHeader {
            if (offset < 0 || length < 1) {
                throw new IllegalArgumentException("inline header needs offset >= 0 and length >= 1, got "
                        + offset + ", " + length);
            }
        }
    }

    /** An external chunk naming content fd {@code index}. */
    record ExternalHeader(long offset, int index) implements ChunkHeader {
        public ExternalHeader {
            if (offset < 0 || index < 0) {
                throw new IllegalArgumentException("external header needs offset >= 0 and index >= 0, got "
                        + offset + ", " + index);
            }
        }

        public Chunk.External chunk() {
            return new Chunk.External(index);
        }
    }
}
