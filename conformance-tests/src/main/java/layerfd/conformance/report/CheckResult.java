package layerfd.conformance.report;

import java.util.Objects;

/**
 * One check's outcome. {@code detail} is empty for PASS, the reason for FAIL, the cause for SKIP.
 *
 * @param name stable snake_case name, unique within a run (per-layer checks carry the layer in brackets)
 */
public record CheckResult(String name, CheckStatus status, String detail) {
    public CheckResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        if (status != CheckStatus.PASS && detail.isBlank()) {
            throw new IllegalArgumentException(status + " of " + name + " needs a reason");
        }
    }

    /** {@code PASS name}, {@code FAIL name: why}, {@code SKIP name: reason}: the format of the Rust/Go peers. */
    public String line() {
        return detail.isEmpty() ? status + " " + name : status + " " + name + ": " + detail;
    }
}
