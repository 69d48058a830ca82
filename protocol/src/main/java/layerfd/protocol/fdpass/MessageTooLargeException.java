package layerfd.protocol.fdpass;

/**
 * A message is longer than {@link FdpassOptions#maxMessageBytes()}. Received: fatal, the rest of the stream cannot
 * be framed without buffering it. Sent: raised before any byte is written, so the connection is still usable.
 */
public final class MessageTooLargeException extends FdpassException {
    private static final long serialVersionUID = 1L;
    private final long limit;

    public MessageTooLargeException(String what, long size, long limit) {
        super(what + " of " + (size < 0 ? "more than " + limit : size) + " bytes exceeds the limit of " + limit
                + " bytes (FdpassOptions.maxMessageBytes)");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
