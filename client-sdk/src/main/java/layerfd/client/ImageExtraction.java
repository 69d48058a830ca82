package layerfd.client;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import layerfd.client.apply.ApplyOptions;
import layerfd.client.apply.ApplyStatistics;
import layerfd.client.apply.ExtractProgress;
import layerfd.client.apply.ImageExtractor;
import layerfd.client.apply.LayerSource;

/**
 * `layerfd extract` as a library call: streams an image's layers from the server (an {@link ImageDetails} from
 * {@link LayerfdClient#inspect}) and applies them base first into a destination that must not exist or be empty (see {@link ImageExtractor} for what a failure leaves).
 */
public final class ImageExtraction {
    private ImageExtraction() {}

    /** What an extraction did. */
    public record Result(ImageDetails image, ApplyStatistics statistics, boolean verified) {}

    /**
     * @param verify check every layer's reassembled tar against its diff-digest before applying it (reads every
     *               byte of the layer once more)
     */
    public static Result extract(LayerfdClient client, ImageDetails details, Path destination, ApplyOptions options,
                                 boolean verify, ExtractProgress progress) throws IOException {
        List<LayerSource> layers = ServerImages.layerSources(client, details, verify);
        ApplyStatistics statistics = ImageExtractor.extract(layers, destination, options, progress);
        return new Result(details, statistics, verify);
    }
}
