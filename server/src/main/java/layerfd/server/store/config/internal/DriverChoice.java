package layerfd.server.store.config.internal;

import layerfd.server.store.StoreLocation;
import layerfd.server.store.config.StoreConfigException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Picks the driver: a named one wins (after Go's silent overlay2 -> overlay rename); otherwise the one whose
 * {@code <root>/<driver>-layers/layers.json} exists (containers-storage brief §1: readers detect the driver that way);
 * otherwise the rules' default. Only overlay and vfs stores can be read.
 */
public final class DriverChoice {
    private static final String OVERLAY2 = "overlay2";
    /** Detection order: overlay before vfs, as Go never picks vfs unless told to. */
    private static final List<String> DETECTION_ORDER = List.of(StoreLocation.OVERLAY, StoreLocation.VFS);
    private static final String LAYERS_DIR_SUFFIX = "-layers";
    private static final String LAYERS_JSON = "layers.json";

    private DriverChoice() {
    }

    /** The chosen driver and a note saying why. */
    public record Choice(String driver, String reason) {
    }

    public static Choice choose(Optional<ResolvedConfig.Setting> named, List<Path> storeRoots, String fallback)
            throws StoreConfigException {
        if (named.isPresent()) {
            String driver = named.get().value().equals(OVERLAY2) ? StoreLocation.OVERLAY : named.get().value();
            if (!driver.equals(StoreLocation.OVERLAY) && !driver.equals(StoreLocation.VFS)) {
                throw new StoreConfigException("storage driver '" + named.get().value() + "' (from "
                        + named.get().origin() + ") is not supported: layerfd reads overlay and vfs stores");
            }
            return new Choice(driver, "driver " + driver + " from " + named.get().origin());
        }
        for (String driver : DETECTION_ORDER) {
            for (Path root : storeRoots) {
                Path layers = root.resolve(driver + LAYERS_DIR_SUFFIX).resolve(LAYERS_JSON);
                if (Files.isRegularFile(layers)) {
                    return new Choice(driver, "driver " + driver + " detected from " + layers);
                }
            }
        }
        return new Choice(fallback, "driver " + fallback + ": none configured or found on disk, the default");
    }
}
