package layerfd.server.store;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One image as containers-storage records it in {@code <driver>-images/images.json}; containers-storage.md §2.2.
 * Immutable.
 *
 * @param id             64 hex digits (usually, not always, the config digest)
 * @param digest         the primary manifest digest
 * @param names          full references, e.g. {@code localhost/test:1}
 * @param namesHistory   earlier names
 * @param layer          the top layer's id (JSON key {@code layer}); empty for a layer-less image
 * @param metadata       the metadata string (itself JSON), "" when absent
 * @param bigDataNames   big-data keys, e.g. {@code manifest}, {@code sha256:<config hex>}
 * @param bigDataSizes   big-data key -> size
 * @param bigDataDigests big-data key -> digest
 * @param created        creation time, when recorded
 * @param flags          the record's flags, each value as its JSON text
 * @param store          the root of the store holding the record
 */
public record ImageRecord(String id, Optional<String> digest, List<String> names, List<String> namesHistory,
                          Optional<String> layer, String metadata, List<String> bigDataNames,
                          Map<String, Long> bigDataSizes, Map<String, String> bigDataDigests,
                          Optional<Instant> created, Map<String, String> flags, Path store) {
    /** Big-data keys of manifests start with this (containers-storage.md §2.2: Go's Digests). */
    public static final String MANIFEST_KEY_PREFIX = "manifest";

    public ImageRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(digest, "digest");
        names = List.copyOf(names);
        namesHistory = List.copyOf(namesHistory);
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(metadata, "metadata");
        bigDataNames = List.copyOf(bigDataNames);
        bigDataSizes = Map.copyOf(bigDataSizes);
        bigDataDigests = Map.copyOf(bigDataDigests);
        Objects.requireNonNull(created, "created");
        flags = Map.copyOf(flags);
        Objects.requireNonNull(store, "store");
    }

    /**
     * The manifest digests Go looks images up by: {@code digest}, then every {@code big-data-digests} value whose key
     * starts with {@code manifest} (Go recomputes {@code Digests} this way on load). No duplicates.
     */
    public List<String> manifestDigests() {
        List<String> out = new ArrayList<>();
        digest.ifPresent(out::add);
        bigDataDigests.entrySet().stream()
                .filter(e -> e.getKey().startsWith(MANIFEST_KEY_PREFIX))
                .map(Map.Entry::getValue)
                .sorted()
                .filter(d -> !out.contains(d))
                .forEach(out::add);
        return List.copyOf(out);
    }
}
