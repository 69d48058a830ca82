package layerfd.protocol.fdpass;

import java.io.IOException;

/**
 * A jsonrpc-fdpass protocol violation by the peer. Every subclass is fatal: the receiver has closed every fd it still
 * held and the connection must be closed (jsonrpc-fdpass README §7: Framing Error and Mismatched Count are fatal).
 * The one exception is {@link MessageTooLargeException} thrown by a sender, which is raised before any byte is
 * written.
 */
public abstract sealed class FdpassException extends IOException
        permits FramingException, MismatchedFdCountException, MessageTooLargeException, FdsTruncatedException,
                PeerClosedMidMessageException {
    private static final long serialVersionUID = 1L;

    FdpassException(String message) {
        super(message);
    }

    FdpassException(String message, Throwable cause) {
        super(message, cause);
    }
}
