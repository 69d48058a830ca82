package layerfd.server.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a containers-storage store lives and how to read it: what discovery (storage.conf, environment,
 * command-line overrides) decided. Immutable.
 *
 * @param graphRoot             the store's root, e.g. /var/lib/containers/storage
 * @param runRoot               the store's run root, e.g. /run/containers/storage
 * @param driver                "overlay" or "vfs"
 * @param imageStore            storage.conf {@code imagestore}, a split image store, if configured
 * @param additionalImageStores read-only stores searched after the primary, in configuration order
 * @param rootless              true when the store belongs to a rootless user (files owned by sub-uids)
 * @param configSources         the configuration files that were read, in the order they were applied
 */
public record StoreLocation(Path graphRoot, Path runRoot, String driver, Optional<Path> imageStore,
                            List<Path> additionalImageStores, boolean rootless, List<Path> configSources) {
    public static final String OVERLAY = "overlay";
    public static final String VFS = "vfs";

    public StoreLocation {
        Objects.requireNonNull(graphRoot, "graphRoot");
        Objects.requireNonNull(runRoot, "runRoot");
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(imageStore, "imageStore");
        if (!driver.equals(OVERLAY) && !driver.equals(VFS)) {
            throw new IllegalArgumentException("unsupported storage driver '" + driver + "': layerfd reads overlay and vfs");
        }
        additionalImageStores = List.copyOf(additionalImageStores);
        configSources = List.copyOf(configSources);
    }
}
