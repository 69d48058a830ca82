package layerfd.helper.internal;

/** A request asked for something outside what the helper serves; the message says what and why. */
public final class RefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    public RefusedException(String message) {
        super(message);
    }
}
