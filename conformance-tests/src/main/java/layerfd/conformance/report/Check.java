package layerfd.conformance.report;

/** The body of one named check: returns normally to PASS, throws {@link CheckFailed} or {@link CheckSkipped}. */
@FunctionalInterface
public interface Check {
    void run() throws Exception;
}
