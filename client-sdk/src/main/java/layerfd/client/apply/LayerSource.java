package layerfd.client.apply;

import java.io.IOException;
import java.util.Objects;

/**
 * A layer that {@link ImageExtractor} opens when its turn comes, so only one layer's descriptors are open at a time.
 * {@code name} (a layer id, for instance) appears in progress and error messages.
 */
public record LayerSource(String name, Opener opener) {
    public LayerSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(opener, "opener");
    }

    /** Opens the layer's input; the extractor closes it. */
    @FunctionalInterface
    public interface Opener {
        LayerInput open() throws IOException;
    }

    LayerInput open() throws IOException {
        return opener.open();
    }
}
