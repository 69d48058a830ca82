package layerfd.conformance.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;
import java.util.Objects;

/**
 * Every check of one run, in the order they ran.
 *
 * @param suite {@code transport} or {@code server}
 * @param peer what was driven (the socket path)
 */
public record ConformanceReport(String suite, String peer, List<CheckResult> checks) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public ConformanceReport {
        Objects.requireNonNull(suite, "suite");
        Objects.requireNonNull(peer, "peer");
        checks = List.copyOf(checks);
    }

    public long passed() {
        return count(CheckStatus.PASS);
    }

    public long failed() {
        return count(CheckStatus.FAIL);
    }

    public long skipped() {
        return count(CheckStatus.SKIP);
    }

    /** True when no check failed (skips do not fail a run: each says why it could not apply). */
    public boolean succeeded() {
        return failed() == 0;
    }

    /** {@code N passed, N failed, N skipped}, the closing line the Rust and Go peers print too. */
    public String closingLine() {
        return passed() + " passed, " + failed() + " failed, " + skipped() + " skipped";
    }

    /** One line per check, then the closing line. */
    public void printText(PrintStream out) {
        checks.forEach(c -> out.println(c.line()));
        out.println(closingLine());
    }

    /** {@code {"suite","peer","checks":[{"name","status","detail"}],"passed","failed","skipped"}}. */
    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("suite", suite);
        root.put("peer", peer);
        ArrayNode list = root.putArray("checks");
        for (CheckResult c : checks) {
            list.addObject().put("name", c.name()).put("status", c.status().name()).put("detail", c.detail());
        }
        root.put("passed", passed());
        root.put("failed", failed());
        root.put("skipped", skipped());
        return root;
    }

    /** The result of the check called {@code name}. */
    public CheckResult check(String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no check named " + name + " in " + suite));
    }

    private long count(CheckStatus status) {
        return checks.stream().filter(c -> c.status() == status).count();
    }
}
