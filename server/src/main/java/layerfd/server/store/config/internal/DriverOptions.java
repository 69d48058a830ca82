package layerfd.server.store.config.internal;

import layerfd.server.store.StoreLocation;
import layerfd.server.store.config.StoreConfigException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Go's driver options ("[driver.]key=value" strings from storage.conf or STORAGE_OPTS) as far as they name stores:
 * the overlay driver takes {@code imagestore} and {@code additionalimagestore}, vfs only {@code imagestore}; options
 * prefixed with another driver's name are skipped; a value may list several paths separated by commas.
 */
public final class DriverOptions {
    public static final String IMAGESTORE = "imagestore";
    private static final String ADDITIONAL_IMAGESTORE = "additionalimagestore";
    /** The overlay driver also accepts options addressed to its old name. */
    private static final String OVERLAY2 = "overlay2";

    private DriverOptions() {
    }

    /** STORAGE_OPTS, split on commas as Go does, or empty when the variable is not set at all. */
    public static Optional<List<String>> fromEnvironment(DiscoveryContext ctx) {
        String value = ctx.environment().variables().get(DiscoveryContext.STORAGE_OPTS);
        if (value == null) {
            return Optional.empty();
        }
        // Go: an empty STORAGE_OPTS yields [""], which it turns into "no options" (it still replaces the config's).
        return Optional.of(value.isEmpty() ? List.of() : Arrays.asList(value.split(",", -1)));
    }

    /** Options for the configured additional image stores. */
    public static List<String> forImageStores(List<String> paths) {
        return paths.stream().map(p -> IMAGESTORE + "=" + p).toList();
    }

    /** The additional image stores these options give the named driver, in order. */
    public static List<Path> additionalImageStores(List<String> options, String driver) throws StoreConfigException {
        List<Path> stores = new ArrayList<>();
        for (String option : options) {
            if (option.isEmpty()) {
                continue;
            }
            int eq = option.indexOf('=');
            if (eq < 0) {
                throw new StoreConfigException("storage driver option '" + option + "' is not of the form key=value");
            }
            String key = option.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = option.substring(eq + 1).trim();
            int dot = key.indexOf('.');
            if (dot >= 0) {
                String target = key.substring(0, dot);
                key = key.substring(dot + 1);
                if (!target.isEmpty() && !target.equals(driver)
                        && !(driver.equals(StoreLocation.OVERLAY) && target.equals(OVERLAY2))) {
                    continue;
                }
            }
            boolean names = key.equals(IMAGESTORE)
                    || (key.equals(ADDITIONAL_IMAGESTORE) && driver.equals(StoreLocation.OVERLAY));
            if (!names || value.isEmpty()) {
                continue;
            }
            for (String part : value.split(",")) {
                Path store = Path.of(part).normalize();
                if (!store.isAbsolute()) {
                    throw new StoreConfigException("additional image store '" + part + "' (driver option '" + option
                            + "') is not an absolute path");
                }
                stores.add(store);
            }
        }
        return stores;
    }
}
