package layerfd.server.methods;

import java.util.Objects;
import layerfd.server.ServerLimits;
import layerfd.server.store.Store;

/**
 * What every handler shares: the store, the inline threshold, the limits and the server's version. Immutable.
 */
public record ServiceContext(Store store, long inlineThreshold, ServerLimits limits, String version) {
    public ServiceContext {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(version, "version");
    }
}
