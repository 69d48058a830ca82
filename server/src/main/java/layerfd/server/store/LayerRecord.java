package layerfd.server.store;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One layer as containers-storage records it in {@code <driver>-layers/layers.json} (or
 * {@code volatile-layers.json}); containers-storage.md §2.1. Immutable.
 *
 * @param id                   64 hex digits
 * @param parent               the parent layer's id; empty for a base layer
 * @param names                rarely used layer names
 * @param created              creation time, when recorded
 * @param compressedDiffDigest digest of the blob as it was received
 * @param compressedSize       size of the blob as received, -1 when unknown
 * @param diffDigest           the DiffID: sha256 of the uncompressed tar; empty for container layers
 * @param diffSize             length of the uncompressed tar, -1 when unknown (JSON key {@code diff-size})
 * @param compression          0 none, 1 bzip2, 2 gzip, 3 xz, 4 zstd
 * @param flags                the record's flags, each value as its JSON text (e.g. {@code incomplete -> true})
 * @param idMapped             true when the record carries a non-empty uidmap or gidmap
 * @param bigDataNames         layer big-data keys
 * @param store                the root of the store (graphroot, image store or additional store) holding it
 */
public record LayerRecord(String id, Optional<String> parent, List<String> names, Optional<Instant> created,
                          Optional<String> compressedDiffDigest, long compressedSize, Optional<String> diffDigest,
                          long diffSize, int compression, Map<String, String> flags, boolean idMapped,
                          List<String> bigDataNames, Path store) {
    /** The value {@code diff-size} and {@code compressed-size} take when unknown. */
    public static final long UNKNOWN_SIZE = -1;
    /** containers-storage.md §7: a layer being created or deleted (or left so by a crash). */
    public static final String FLAG_INCOMPLETE = "incomplete";

    public LayerRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(parent, "parent");
        names = List.copyOf(names);
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(compressedDiffDigest, "compressedDiffDigest");
        Objects.requireNonNull(diffDigest, "diffDigest");
        flags = Map.copyOf(flags);
        bigDataNames = List.copyOf(bigDataNames);
        Objects.requireNonNull(store, "store");
    }

    /** True when {@code flags.incomplete} is JSON {@code true}. */
    public boolean incomplete() {
        return "true".equals(flags.get(FLAG_INCOMPLETE));
    }
}
