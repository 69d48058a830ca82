package layerfd.client;

import java.util.List;
import java.util.Optional;

/** One image of {@code ListImages}. */
public record ImageSummary(String id, List<String> names, Optional<String> digest, Optional<String> topLayer,
                           Optional<String> created) {
    public ImageSummary {
        names = List.copyOf(names);
    }
}
