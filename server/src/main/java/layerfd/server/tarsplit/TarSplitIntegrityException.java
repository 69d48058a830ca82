package layerfd.server.tarsplit;

/**
 * The layer's files or the rebuilt tar do not match the tar-split or the layer record: a file's CRC-64, a file
 * shorter or longer than its entry's {@code size}, a file missing from the layer, or the sha256 or length of the
 * whole tar against {@code diff-digest}/{@code diff-size}. Go fails in the first case with "file integrity checksum
 * failed for %q" (containers-storage brief §3.3); the bytes written before the failure must be discarded.
 */
public final class TarSplitIntegrityException extends TarSplitException {
    private static final long serialVersionUID = 1L;

    public TarSplitIntegrityException(String message) {
        super(message);
    }

    public TarSplitIntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
