package layerfd.conformance.report;

/**
 * Thrown by a check that cannot apply to this peer (a method it lacks, a documented quirk); the message is the
 * reason printed after SKIP. Never used to hide a failure of a peer that claims the feature.
 */
public final class CheckSkipped extends Exception {
    private static final long serialVersionUID = 1L;

    public CheckSkipped(String reason) {
        super(reason);
    }
}
