package layerfd.conformance.server;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The expected digest of every layer of the image, and where they came from.
 *
 * @param source said in reports, e.g. {@code --expect layers.json} or {@code store /var/lib/containers/storage}
 * @param layers layer id to expectation
 * @param chainTopFirst the image's layer ids top first, when the source knows the chain (the store does), so the
 *     order of GetImage's layerDigests can be checked
 */
public record Expectations(String source, Map<String, ExpectedLayer> layers, Optional<List<String>> chainTopFirst) {
    public Expectations {
        Objects.requireNonNull(source, "source");
        layers = Map.copyOf(layers);
        chainTopFirst = chainTopFirst.map(List::copyOf);
    }
}
