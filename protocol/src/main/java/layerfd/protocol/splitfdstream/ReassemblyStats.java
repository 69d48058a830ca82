package layerfd.protocol.splitfdstream;

/** What a reassembly wrote: how many chunks it read, and how many bytes came inline and from content fds. */
public record ReassemblyStats(long chunks, long inlineBytes, long externalBytes) {
    public ReassemblyStats {
        if (chunks < 0 || inlineBytes < 0 || externalBytes < 0) {
            throw new IllegalArgumentException("negative count: " + chunks + ", " + inlineBytes + ", " + externalBytes);
        }
    }

    /** Bytes written to the output. */
    public long totalBytes() {
        return inlineBytes + externalBytes;
    }
}
