package layerfd.client.apply;

import java.io.IOException;

/**
 * Applying a layer failed. The message names the entry (its cleaned path) and what was wrong, in words a user can
 * act on; {@link #reason()} lets a caller branch without parsing it.
 */
public final class ApplyException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What kind of failure it was. */
    public enum Reason {
        /** Not a valid tar: bad checksum, truncated header, bad number, an external file where none belongs. */
        MALFORMED_TAR,
        /** An external file's size differs from its tar header. */
        INTEGRITY,
        /** A tar feature the applier refuses to guess at (sparse files, unknown entry types). */
        UNSUPPORTED,
        /** A path or hardlink target that would leave the destination or go through a symlink. */
        UNSAFE_PATH,
        /** The reflink policy is ENABLED and the filesystem refused to share extents. */
        REFLINK_REFUSED,
        /** A device node or xattr that could not be created while the strict flag was set. */
        NOT_PERMITTED,
        /** The destination cannot be used (not empty, an incomplete earlier extraction). */
        DESTINATION,
        /** Any other system call failure while writing the tree. */
        IO
    }

    private final Reason reason;

    public ApplyException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ApplyException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
