package layerfd.client;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import layerfd.client.apply.LayerInput;
import layerfd.client.apply.LayerSource;
import layerfd.client.apply.Piece;
import layerfd.client.objects.ImageDescription;
import layerfd.client.objects.ImagePresence;
import layerfd.client.objects.Reimporter;
import layerfd.protocol.jsonrpc.ErrorCodes;

/**
 * Images of a layerfd server as the extractor and the object store consume them: layers as lazily opened
 * {@link LayerSource}s (one layer's fds open at a time), the image's description, whether it still exists.
 */
public final class ServerImages {
    /** Content fds held at once per layer: layers of any size go through a small fd budget. */
    public static final int WINDOW_FDS = 256;

    private ServerImages() {}

    /** The layers of {@code image} base first; {@code verify} checks each against its diff-digest first. */
    public static List<LayerSource> layerSources(LayerfdClient client, ImageDetails image, boolean verify) {
        List<LayerSource> sources = new ArrayList<>();
        for (ImageDetails.LayerInfo layer : image.layers()) {
            sources.add(new LayerSource(layer.id(), () -> open(client, layer, verify)));
        }
        return sources;
    }

    /** What an object-store image document records about {@code image}. */
    public static ImageDescription describe(ImageDetails image) {
        List<ImageDescription.Layer> layers = new ArrayList<>();
        for (ImageDetails.LayerInfo layer : image.layers()) {
            layers.add(new ImageDescription.Layer(layer.id(), layer.diffDigest().orElse("")));
        }
        return new ImageDescription(image.id(), image.names(), image.digest().orElse(""),
                image.configDigest().orElse(""), layers);
    }

    /** Asks the server whether an image id still resolves; only "image not found" (-32001) means gone. */
    public static ImagePresence presence(LayerfdClient client) {
        return imageId -> {
            try {
                client.inspect(imageId);
                return true;
            } catch (LayerfdException e) {
                if (e.code() == ErrorCodes.IMAGE_NOT_FOUND) {
                    return false;
                }
                throw e;
            }
        };
    }

    /** Provides an image's layers again from the server, for object-store repair. */
    public static Reimporter reimporter(LayerfdClient client) {
        return imageId -> {
            ImageDetails image = client.inspect(imageId);
            return new Reimporter.ImageLayers(describe(image), layerSources(client, image, true));
        };
    }

    private static LayerInput open(LayerfdClient client, ImageDetails.LayerInfo layer, boolean verify)
            throws IOException {
        LayerStream stream = client.openLayerWindowed(layer.id(), WINDOW_FDS);
        try {
            if (verify) {
                stream.writeTar(OutputStream.nullOutputStream(), layer.diffDigest(), layer.diffSize());
            }
            LayerInput pieces = stream.asLayerInput();
            LayerStream owned = stream;
            stream = null;
            return new LayerInput() {
                @Override
                public Piece next() throws IOException {
                    return pieces.next();
                }

                @Override
                public void close() throws IOException {
                    try (owned) {
                        pieces.close();
                    }
                }
            };
        } finally {
            if (stream != null) {
                stream.close();
            }
        }
    }
}
