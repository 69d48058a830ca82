package layerfd.client.objects;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import layerfd.client.apply.LayerSource;

/** Provides an image's layers again so that repair can re-import it (the CLI wires it to the server). */
@FunctionalInterface
public interface Reimporter {
    /** The image and its layers, base first; each layer is opened only when its turn comes. */
    ImageLayers layers(String imageId) throws IOException;

    /** An image to import: what the document records about it, and its layers base first. */
    record ImageLayers(ImageDescription description, List<LayerSource> layersBaseFirst) {
        public ImageLayers {
            Objects.requireNonNull(description, "description");
            layersBaseFirst = List.copyOf(layersBaseFirst);
        }
    }
}
