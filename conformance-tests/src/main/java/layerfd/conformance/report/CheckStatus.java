package layerfd.conformance.report;

/** The outcome of one check. SKIP always carries the reason the check could not apply to this peer. */
public enum CheckStatus {
    PASS,
    FAIL,
    SKIP
}
