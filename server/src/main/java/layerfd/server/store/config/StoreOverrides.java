package layerfd.server.store.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Explicit choices from the command line ({@code --root}, {@code --runroot}, {@code --driver},
 * {@code --storage-conf}). Each one that is present wins over everything discovery would otherwise decide; the others
 * are left to discovery. {@code storageConf} behaves exactly like {@code CONTAINERS_STORAGE_CONF}.
 */
public record StoreOverrides(Optional<Path> root, Optional<Path> runRoot, Optional<String> driver,
                             Optional<Path> storageConf) {
    public StoreOverrides {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(runRoot, "runRoot");
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(storageConf, "storageConf");
    }

    /** No overrides: discovery decides everything. */
    public static StoreOverrides none() {
        return new StoreOverrides(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
}
