package layerfd.conformance.server.internal;

import java.util.List;

/** GetImage's result: the stored manifest and config strings, and the layer ids top first. */
public record ImageAnswer(String manifest, String config, List<String> layerDigests) {
    public ImageAnswer {
        layerDigests = List.copyOf(layerDigests);
    }
}
