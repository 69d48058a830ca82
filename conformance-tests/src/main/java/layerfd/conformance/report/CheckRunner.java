package layerfd.conformance.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs named checks one after another and records each outcome; a check never stops the run. An exception other
 * than {@link CheckFailed}/{@link CheckSkipped} is a FAIL naming its type and message, never a stack trace.
 */
public final class CheckRunner {
    private final List<CheckResult> results = new ArrayList<>();

    public CheckResult run(String name, Check check) {
        CheckResult result;
        try {
            check.run();
            result = new CheckResult(name, CheckStatus.PASS, "");
        } catch (CheckSkipped e) {
            result = new CheckResult(name, CheckStatus.SKIP, e.getMessage());
        } catch (CheckFailed e) {
            result = new CheckResult(name, CheckStatus.FAIL, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = new CheckResult(name, CheckStatus.FAIL, "interrupted");
        } catch (Exception e) {
            result = new CheckResult(name, CheckStatus.FAIL, describe(e));
        }
        results.add(result);
        return result;
    }

    /** Records an outcome decided elsewhere (e.g. a check that cannot run because an earlier one failed). */
    public void record(CheckResult result) {
        results.add(result);
    }

    public ConformanceReport report(String suite, String peer) {
        return new ConformanceReport(suite, peer, results);
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
