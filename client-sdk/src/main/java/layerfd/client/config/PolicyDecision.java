package layerfd.client.config;

import java.util.Objects;
import layerfd.client.ReflinkPolicy;

/**
 * The reflink policy in force and where it came from: a file, "--unified", or "default".
 */
public record PolicyDecision(ReflinkPolicy policy, String source) {
    public PolicyDecision {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(source, "source");
    }

    /** bootc's words, as `layerfd status` prints them: "unified (enabled-with-copy)" or "not unified (disabled)". */
    public String describe() {
        return (policy == ReflinkPolicy.DISABLED ? "not unified" : "unified") + " (" + policy.configName() + ")";
    }
}
