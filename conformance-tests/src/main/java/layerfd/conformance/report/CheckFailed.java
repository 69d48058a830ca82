package layerfd.conformance.report;

/** Thrown by a check that found the peer wrong; the message is the reason printed after FAIL. */
public final class CheckFailed extends Exception {
    private static final long serialVersionUID = 1L;

    public CheckFailed(String reason) {
        super(reason);
    }

    public CheckFailed(String reason, Throwable cause) {
        super(reason, cause);
    }

    /** Fails with {@code reason} unless {@code condition} holds. */
    public static void unless(boolean condition, String reason) throws CheckFailed {
        if (!condition) {
            throw new CheckFailed(reason);
        }
    }

    /** Fails naming {@code what}, the expected and the actual value, unless they are equal. */
    public static void unlessEqual(Object expected, Object actual, String what) throws CheckFailed {
        if (!java.util.Objects.equals(expected, actual)) {
            throw new CheckFailed(what + ": expected " + expected + ", got " + actual);
        }
    }
}
