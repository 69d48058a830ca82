package layerfd.server.tarsplit;

/**
 * The tar-split stream is not what tar-split writes: bad gzip, bad JSON, a missing or unknown {@code type}, a
 * {@code payload} that is not base64 or a CRC that is not 8 bytes. {@link #entryNumber()} is the 1-based number of
 * the JSON entry (one per line) being read when it went wrong.
 */
public final class TarSplitFormatException extends TarSplitException {
    private static final long serialVersionUID = 1L;
    private final long entryNumber;

    public TarSplitFormatException(long entryNumber, String problem) {
        super("tar-split entry " + entryNumber + ": " + problem);
        this.entryNumber = entryNumber;
    }

    public TarSplitFormatException(long entryNumber, String problem, Throwable cause) {
        super("tar-split entry " + entryNumber + ": " + problem, cause);
        this.entryNumber = entryNumber;
    }

    public long entryNumber() {
        return entryNumber;
    }
}
