package layerfd.server.store.config;

import layerfd.server.store.StoreLocation;

import java.util.List;
import java.util.Objects;

/**
 * The store discovery found, with the semantics it applied and human-readable notes on how each decision was made
 * (for {@code layerfd info}-style output and for bug reports).
 */
public record DiscoveryReport(StoreLocation location, ConfigSemantics semantics, List<String> notes) {
    public DiscoveryReport {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(semantics, "semantics");
        notes = List.copyOf(notes);
    }
}
