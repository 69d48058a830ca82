package layerfd.server.methods;

import java.util.Objects;
import layerfd.server.ServerLimits;
import layerfd.server.rootless.ContentOpeners;
import layerfd.server.store.Store;

/**
 * What every handler shares: the store, how its files are opened (directly, or through the userns helper for a
 * rootless store: docs/rootless.md), the inline threshold, the limits and the server's version. Immutable.
 */
public record ServiceContext(Store store, ContentOpeners openers, long inlineThreshold, ServerLimits limits,
                             String version) {
    public ServiceContext {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(openers, "openers");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(version, "version");
    }
}
