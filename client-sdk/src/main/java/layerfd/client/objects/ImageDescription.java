package layerfd.client.objects;

import java.util.List;
import java.util.Objects;

/**
 * What an image document records about the image besides its tree (api-contract §3.4 {@code InspectImage}): the
 * storage image id, its names, the manifest and config digests, and its layers base first.
 *
 * @param id the containers-storage image id; it also names the document (see {@link ObjectStore})
 * @param manifestDigest {@code sha256:...} of the stored manifest, or empty when unknown
 * @param configDigest {@code sha256:...} of the image config, or empty when unknown
 */
public record ImageDescription(String id, List<String> names, String manifestDigest, String configDigest,
                               List<Layer> layers) {
    public ImageDescription {
        Objects.requireNonNull(id, "id");
        names = List.copyOf(names);
        Objects.requireNonNull(manifestDigest, "manifestDigest");
        Objects.requireNonNull(configDigest, "configDigest");
        layers = List.copyOf(layers);
    }

    /** One layer: its storage id and the sha256 of its uncompressed tar ({@code diff-digest}). */
    public record Layer(String id, String diffDigest) {
        public Layer {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(diffDigest, "diffDigest");
        }
    }
}
