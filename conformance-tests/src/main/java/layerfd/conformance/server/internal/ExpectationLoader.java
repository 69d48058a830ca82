package layerfd.conformance.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import layerfd.conformance.report.CheckFailed;
import layerfd.conformance.server.ExpectationSource;
import layerfd.conformance.server.Expectations;
import layerfd.conformance.server.ExpectedLayer;
import layerfd.server.store.ImageRecord;
import layerfd.server.store.LayerRecord;
import layerfd.server.store.Store;
import layerfd.server.store.StoreLocation;
import layerfd.server.store.StoreSnapshot;
import layerfd.server.store.config.DiscoveryEnvironment;
import layerfd.server.store.config.StoreConfigException;
import layerfd.server.store.config.StoreDiscovery;

/** Reads the expected layer digests from the source the user chose; every error names the source and the key. */
public final class ExpectationLoader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExpectationLoader() {}

    /**
     * @param image the image reference (for the store)
     * @param config the config string GetImage returned (for {@link ExpectationSource.FromConfig})
     * @param layerDigests GetImage's layerDigests, top first (for {@link ExpectationSource.FromConfig})
     */
    public static Expectations load(ExpectationSource source, String image, String config, List<String> layerDigests)
            throws CheckFailed {
        return switch (source) {
            case ExpectationSource.ExpectFile f -> fromFile(f);
            case ExpectationSource.FromStore s -> fromStore(s, image);
            case ExpectationSource.FromConfig c -> fromConfig(config, layerDigests);
        };
    }

    private static Expectations fromFile(ExpectationSource.ExpectFile source) throws CheckFailed {
        String what = "--expect " + source.file();
        JsonNode root;
        try {
            root = JSON.readTree(source.file().toFile());
        } catch (IOException e) {
            throw new CheckFailed(what + ": cannot read it as JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new CheckFailed(what + ": expected an object {\"<layer id>\": {\"digest\", \"size\"}}");
        }
        Map<String, ExpectedLayer> layers = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            JsonNode value = entry.getValue();
            JsonNode size = value.path("size");
            try {
                layers.put(entry.getKey(), new ExpectedLayer(value.path("digest").asText(""),
                        size.isIntegralNumber() ? OptionalLong.of(size.asLong()) : OptionalLong.empty()));
            } catch (IllegalArgumentException e) {
                throw new CheckFailed(what + ": layer " + entry.getKey() + ": " + e.getMessage());
            }
        }
        return new Expectations(what, layers, Optional.empty());
    }

    private static Expectations fromStore(ExpectationSource.FromStore source, String image) throws CheckFailed {
        try {
            StoreLocation location = StoreDiscovery.discover(source.overrides(), DiscoveryEnvironment.current());
            try (StoreSnapshot snapshot = Store.open(location).readLocked()) {
                ImageRecord record = snapshot.resolveImage(image);
                Map<String, ExpectedLayer> layers = new LinkedHashMap<>();
                List<String> topFirst = new ArrayList<>();
                for (LayerRecord layer : snapshot.imageLayers(record)) {
                    String digest = layer.diffDigest().orElseThrow(() -> new CheckFailed("layer " + layer.id()
                            + " has no diff-digest in the store at " + location.graphRoot()));
                    layers.put(layer.id(), new ExpectedLayer(digest, layer.diffSize() == LayerRecord.UNKNOWN_SIZE
                            ? OptionalLong.empty() : OptionalLong.of(layer.diffSize())));
                    topFirst.addFirst(layer.id());
                }
                return new Expectations("store " + location.graphRoot(), layers, Optional.of(topFirst));
            }
        } catch (IOException | StoreConfigException e) {
            throw new CheckFailed("cannot read the expected digests of " + image + " from the store: "
                    + e.getMessage());
        }
    }

    private static Expectations fromConfig(String config, List<String> layerDigests) throws CheckFailed {
        JsonNode diffIds;
        try {
            diffIds = JSON.readTree(config).path("rootfs").path("diff_ids");
        } catch (IOException e) {
            throw new CheckFailed("the image config is not JSON: " + e.getMessage());
        }
        if (!diffIds.isArray() || diffIds.size() != layerDigests.size()) {
            throw new CheckFailed("the config's rootfs.diff_ids (" + diffIds.size() + ") cannot be mapped to "
                    + layerDigests.size() + " layerDigests by position; give --expect or the store options");
        }
        Map<String, ExpectedLayer> layers = new LinkedHashMap<>();
        int count = layerDigests.size();
        for (int i = 0; i < count; i++) {
            // layerDigests is top first (upstream's order), diff_ids base first (OCI image spec).
            String diffId = diffIds.get(count - 1 - i).asText("");
            try {
                layers.put(layerDigests.get(i), new ExpectedLayer(diffId, OptionalLong.empty()));
            } catch (IllegalArgumentException e) {
                throw new CheckFailed("config rootfs.diff_ids[" + (count - 1 - i) + "]: " + e.getMessage());
            }
        }
        return new Expectations("config rootfs.diff_ids by position", layers, Optional.empty());
    }
}
