package layerfd.conformance.server;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * What a layer's byte-exact tar must hash to (api-contract §3.3: sha256 equals the layer's diff-digest, length
 * equals diff-size).
 *
 * @param digest {@code sha256:<64 hex>}
 * @param size the tar's length, empty when the source does not know it (a config's diff_ids)
 */
public record ExpectedLayer(String digest, OptionalLong size) {
    public ExpectedLayer {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(size, "size");
        if (!digest.matches("sha256:[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a sha256 digest: '" + digest + "'");
        }
    }
}
