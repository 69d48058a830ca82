package layerfd.client;

import java.util.List;
import java.util.Optional;

/**
 * {@code InspectImage}: the image with its stored manifest and config (exact bytes, so their digests still match)
 * and its layers BASE first.
 */
public record ImageDetails(String id, List<String> names, Optional<String> digest, Optional<String> configDigest,
                           String manifest, String config, List<LayerInfo> layers) {
    public ImageDetails {
        names = List.copyOf(names);
        layers = List.copyOf(layers);
    }

    /** A storage layer: its id, parent id, and the digest and size of its uncompressed tar (-1 if unknown). */
    public record LayerInfo(String id, Optional<String> parent, Optional<String> diffDigest, long diffSize) {}
}
