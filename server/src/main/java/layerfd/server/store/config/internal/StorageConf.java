package layerfd.server.store.config.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The storage.conf keys discovery uses, as read from one file or merged from several. Absent means the file did not
 * set the key, so an earlier file's or the built-in default applies.
 */
public record StorageConf(Optional<String> driver, Optional<String> graphRoot, Optional<String> runRoot,
                          Optional<String> imageStore, Optional<String> rootlessStoragePath,
                          Optional<Boolean> transientStore, Optional<PathList> additionalImageStores) {

    /**
     * {@code additionalimagestores}: the paths, and whether the file asked to append them to earlier files' paths
     * ({@code ["/x", {append=true}]}, Go {@code configfile.Slice}) instead of replacing them.
     */
    public record PathList(List<String> values, boolean append) {
        public PathList {
            values = List.copyOf(values);
        }
    }

    public static final StorageConf EMPTY = new StorageConf(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    public StorageConf {
        Objects.requireNonNull(driver);
        Objects.requireNonNull(graphRoot);
        Objects.requireNonNull(runRoot);
        Objects.requireNonNull(imageStore);
        Objects.requireNonNull(rootlessStoragePath);
        Objects.requireNonNull(transientStore);
        Objects.requireNonNull(additionalImageStores);
    }

    /**
     * This configuration with a later file decoded on top, as Go decodes every file into the same struct: keys the
     * later file sets win, the others stay (containers-storage brief §1, "All files decode into one struct").
     */
    public StorageConf overlaidWith(StorageConf later) {
        return new StorageConf(later.driver.or(() -> driver), later.graphRoot.or(() -> graphRoot),
                later.runRoot.or(() -> runRoot), later.imageStore.or(() -> imageStore),
                later.rootlessStoragePath.or(() -> rootlessStoragePath), later.transientStore.or(() -> transientStore),
                mergeStores(later.additionalImageStores));
    }

    /** The additional image store paths, none when unset. */
    public List<String> additionalImageStorePaths() {
        return additionalImageStores.map(PathList::values).orElse(List.of());
    }

    private Optional<PathList> mergeStores(Optional<PathList> later) {
        if (later.isEmpty()) {
            return additionalImageStores;
        }
        if (!later.get().append() || additionalImageStores.isEmpty()) {
            return later;
        }
        List<String> joined = new ArrayList<>(additionalImageStores.get().values());
        joined.addAll(later.get().values());
        return Optional.of(new PathList(joined, true));
    }
}
