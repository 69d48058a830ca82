package layerfd.server.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import layerfd.server.store.StoreFingerprint;
import layerfd.server.store.StoreLocation;

/**
 * The fingerprint (names, types, modes, sizes, mtimes; store.StoreFingerprint) of the parts of a store that podman's
 * writes in a fault test never touch: the content directories and tar-split files of the layers kept throughout.
 * Podman rewrites the JSON records, lock files and its database itself, so those are compared by running podman,
 * not by bytes; everything else of a kept layer must be exactly as it was.
 */
final class UntouchedLayers {
    private UntouchedLayers() {}

    static Map<String, String> of(StoreLocation store, List<KnownLayer> kept) throws Exception {
        Map<String, String> out = new TreeMap<>();
        Path driverHome = store.graphRoot().resolve(store.driver());
        Path layerRecords = store.graphRoot().resolve(store.driver() + "-layers");
        for (KnownLayer layer : kept) {
            Path content = store.driver().equals(StoreLocation.VFS) ? driverHome.resolve("dir").resolve(layer.id())
                    : driverHome.resolve(layer.id());
            StoreFingerprint.of(content).forEach((name, entry) -> out.put(layer.id() + "/" + name, entry));
            Path tarSplit = layerRecords.resolve(layer.id() + ".tar-split.gz");
            out.put(layer.id() + ".tar-split.gz", Files.size(tarSplit) + " " + Files.getLastModifiedTime(tarSplit)
                    + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(Files.readAllBytes(tarSplit))));
        }
        return out;
    }
}
