package layerfd.server.store.config.internal;

import layerfd.server.store.StoreLocation;
import layerfd.server.store.config.StoreConfigException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Current containers/storage rules ({@code types.LoadStoreOptions}): all selected files merged key by key, built-in
 * defaults for what they leave unset, then STORAGE_DRIVER and STORAGE_OPTS, then path expansion.
 */
public final class CurrentResolver {
    private CurrentResolver() {
    }

    public static ResolvedConfig resolve(DiscoveryContext ctx) throws StoreConfigException {
        List<Path> files = CurrentConfigFiles.select(ctx);
        List<String> notes = new ArrayList<>();
        StorageConf conf = StorageConf.EMPTY;
        Optional<ResolvedConfig.Setting> driver = Optional.empty();
        for (Path file : files) {
            StorageConf one = StorageConfParser.read(file);
            if (one.driver().isPresent()) {
                driver = Optional.of(new ResolvedConfig.Setting(one.driver().get(), file.toString()));
            }
            conf = conf.overlaidWith(one);
        }
        if (files.isEmpty()) {
            notes.add("no storage.conf found; built-in defaults apply");
        }
        Optional<String> envDriver = ctx.variable(DiscoveryContext.STORAGE_DRIVER);
        if (envDriver.isPresent()) {
            driver = Optional.of(new ResolvedConfig.Setting(envDriver.get(), DiscoveryContext.STORAGE_DRIVER));
        }

        List<String> options = DriverOptions.forImageStores(conf.additionalImageStorePaths());
        Optional<List<String>> envOptions = DriverOptions.fromEnvironment(ctx);
        if (envOptions.isPresent()) {
            // STORAGE_OPTS replaces the driver options, including the configured additional image stores.
            options = envOptions.get();
            notes.add(DiscoveryContext.STORAGE_OPTS + " replaces the configured driver options");
        }

        Function<String, String> variables = name -> ctx.variable(name).orElse("");
        Path runRoot = conf.runRoot().map(r -> PathExpansion.expand(r, ctx.rootlessUid(), variables))
                .orElseGet(() -> DefaultLocations.runRoot(ctx));
        Path graphRoot = DefaultLocations.graphRoot(ctx);
        // rootless_storage_path first, so that graphroot wins when a configuration sets both.
        if (ctx.rootless() && conf.rootlessStoragePath().isPresent()) {
            graphRoot = PathExpansion.expand(conf.rootlessStoragePath().get(), ctx.rootlessUid(), variables);
        }
        if (conf.graphRoot().isPresent()) {
            graphRoot = PathExpansion.expand(conf.graphRoot().get(), ctx.rootlessUid(), variables);
        }
        Optional<Path> imageStore = conf.imageStore().map(Path::of);
        if (imageStore.isPresent() && imageStore.get().equals(graphRoot)) {
            throw new StoreConfigException("storage.conf imagestore " + imageStore.get()
                    + " must either be unset or differ from graphroot");
        }
        if (conf.transientStore().orElse(false)) {
            notes.add("transient_store = true: volatile layer records live under the runroot");
        }
        return new ResolvedConfig(graphRoot, runRoot, driver, StoreLocation.OVERLAY, imageStore, options, files,
                notes);
    }
}
