package layerfd.protocol.fdpass;

/**
 * The byte stream is not a sequence of JSON objects with valid {@code fds} fields: a JSON syntax error, a top-level
 * array or scalar, or an {@code fds} value that is not a non-negative int (jsonrpc-fdpass README §5.3.2, §3.2).
 */
public final class FramingException extends FdpassException {
    private static final long serialVersionUID = 1L;

    public FramingException(String message) {
        super(message);
    }

    public FramingException(String message, Throwable cause) {
        super(message, cause);
    }
}
