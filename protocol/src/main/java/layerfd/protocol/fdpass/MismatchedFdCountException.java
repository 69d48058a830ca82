package layerfd.protocol.fdpass;

/**
 * A message announced {@code expected} fds but only {@code found} had arrived when the next message started or the
 * peer closed the connection (jsonrpc-fdpass README §5.3.4).
 */
public final class MismatchedFdCountException extends FdpassException {
    private static final long serialVersionUID = 1L;
    private final int expected;
    private final int found;

    public MismatchedFdCountException(int expected, int found, String when) {
        super("message announced \"fds\":" + expected + " but only " + found + " fd(s) arrived " + when);
        this.expected = expected;
        this.found = found;
    }

    public int expected() {
        return expected;
    }

    public int found() {
        return found;
    }
}
