package layerfd.conformance.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.TreeSet;
import layerfd.conformance.report.CheckResult;
import layerfd.conformance.report.CheckStatus;
import layerfd.conformance.report.ConformanceReport;

/** Strict report assertions: no FAIL, and exactly the expected checks SKIPped (each with its reason). */
public final class Reports {
    private Reports() {}

    public static void assertPassedExceptSkips(ConformanceReport report, Set<String> expectedSkips) {
        StringBuilder text = new StringBuilder();
        report.checks().forEach(c -> text.append(c.line()).append('\n'));
        text.append(report.closingLine());
        Set<String> failed = names(report, CheckStatus.FAIL);
        assertEquals(Set.of(), failed, text.toString());
        assertEquals(new TreeSet<>(expectedSkips), names(report, CheckStatus.SKIP), text.toString());
        assertEquals(report.checks().size() - expectedSkips.size(), report.passed(), text.toString());
    }

    public static TreeSet<String> names(ConformanceReport report, CheckStatus status) {
        TreeSet<String> names = new TreeSet<>();
        for (CheckResult c : report.checks()) {
            if (c.status() == status) {
                names.add(c.name());
            }
        }
        return names;
    }
}
