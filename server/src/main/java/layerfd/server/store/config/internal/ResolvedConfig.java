package layerfd.server.store.config.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one set of storage.conf rules decided before explicit overrides and driver detection.
 *
 * @param graphRoot     graphroot, expanded
 * @param runRoot       runroot, expanded
 * @param driver        the driver named by STORAGE_DRIVER or a configuration file, with where it came from
 * @param defaultDriver the driver these rules fall back to when none is named and none is found on disk
 * @param imageStore    split image store ({@code imagestore}), current rules only
 * @param driverOptions Go's GraphDriverOptions: "[driver.]key=value" from the configuration or STORAGE_OPTS
 * @param sources       configuration files read, in the order applied
 * @param notes         how the decisions were made
 */
public record ResolvedConfig(Path graphRoot, Path runRoot, Optional<Setting> driver, String defaultDriver,
                             Optional<Path> imageStore, List<String> driverOptions, List<Path> sources,
                             List<String> notes) {

    /** A value and where it came from ("STORAGE_DRIVER", a file path, "--driver"). */
    public record Setting(String value, String origin) {
        public Setting {
            Objects.requireNonNull(value);
            Objects.requireNonNull(origin);
        }
    }

    public ResolvedConfig {
        Objects.requireNonNull(graphRoot);
        Objects.requireNonNull(runRoot);
        Objects.requireNonNull(driver);
        Objects.requireNonNull(defaultDriver);
        Objects.requireNonNull(imageStore);
        driverOptions = List.copyOf(driverOptions);
        sources = List.copyOf(sources);
        notes = List.copyOf(notes);
    }
}
