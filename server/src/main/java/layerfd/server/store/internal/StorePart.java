package layerfd.server.store.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import layerfd.server.store.StoreLocation;

/**
 * One directory tree with the containers-storage layout (containers-storage.md §2): the primary store, the
 * graphroot when a split image store is configured, or an additional image store. Only paths; no I/O.
 *
 * @param root     the tree's root
 * @param driver   "overlay" or "vfs"
 * @param primary  true for the one read-write store Go would write to (searched first)
 */
public record StorePart(Path root, String driver, boolean primary) {
    public StorePart {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(driver, "driver");
    }

    /**
     * The trees of a location in Go's search order: the primary store (the {@code imagestore} when one is configured,
     * since images and layers then live there), then the graphroot as an extra image store (§2 "With imagestore"),
     * then the additional image stores in configuration order (§7).
     */
    public static List<StorePart> of(StoreLocation location) {
        List<StorePart> parts = new ArrayList<>();
        if (location.imageStore().isPresent()) {
            parts.add(new StorePart(location.imageStore().get(), location.driver(), true));
            parts.add(new StorePart(location.graphRoot(), location.driver(), false));
        } else {
            parts.add(new StorePart(location.graphRoot(), location.driver(), true));
        }
        for (Path ais : location.additionalImageStores()) {
            parts.add(new StorePart(ais, location.driver(), false));
        }
        return List.copyOf(parts);
    }

    public Path layersDir() {
        return root.resolve(driver + "-layers");
    }

    public Path imagesDir() {
        return root.resolve(driver + "-images");
    }

    public Path layersJson() {
        return layersDir().resolve("layers.json");
    }

    /** Layers created "volatile" (containers-storage ≥ v1.45); absent in podman 4.3 stores. */
    public Path volatileLayersJson() {
        return layersDir().resolve("volatile-layers.json");
    }

    public Path imagesJson() {
        return imagesDir().resolve("images.json");
    }

    public Path layersLock() {
        return layersDir().resolve("layers.lock");
    }

    public Path imagesLock() {
        return imagesDir().resolve("images.lock");
    }

    /** {@code <driver>-layers/<id>.tar-split.gz}; {@code id} must be a checked 64-hex id. */
    public Path tarSplit(String id) {
        return layersDir().resolve(id + ".tar-split.gz");
    }

    /** {@code <driver>-images/<id>/}, the image's big-data directory. */
    public Path imageDir(String id) {
        return imagesDir().resolve(id);
    }

    /** The overlay driver's per-layer directory {@code overlay/<id>/}. */
    public Path overlayLayerDir(String id) {
        return root.resolve("overlay").resolve(id);
    }

    /** The overlay driver's short-link directory {@code overlay/l/}. */
    public Path overlayLinks() {
        return root.resolve("overlay").resolve("l");
    }

    /** The vfs driver's full snapshot of a layer, {@code vfs/dir/<id>/}. */
    public Path vfsLayerDir(String id) {
        return root.resolve("vfs").resolve("dir").resolve(id);
    }
}
