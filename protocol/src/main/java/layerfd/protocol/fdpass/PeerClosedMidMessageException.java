package layerfd.protocol.fdpass;

/** The peer closed the connection after sending part of a JSON message (EOF inside a JSON value). */
public final class PeerClosedMidMessageException extends FdpassException {
    private static final long serialVersionUID = 1L;

    public PeerClosedMidMessageException(int bytesBuffered) {
        super("peer closed the connection in the middle of a message (" + bytesBuffered
                + " bytes of an incomplete JSON value were buffered)");
    }
}
