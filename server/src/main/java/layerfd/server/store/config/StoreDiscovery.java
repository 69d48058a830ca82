package layerfd.server.store.config;

import layerfd.server.store.StoreLocation;
import layerfd.server.store.config.internal.CurrentResolver;
import layerfd.server.store.config.internal.DiscoveryContext;
import layerfd.server.store.config.internal.DriverChoice;
import layerfd.server.store.config.internal.DriverOptions;
import layerfd.server.store.config.internal.LegacyResolver;
import layerfd.server.store.config.internal.ResolvedConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the containers-storage store podman would use: storage.conf files and environment under the semantics of the
 * installed podman (see {@link ConfigSemantics}), then explicit overrides, then the driver. See
 * docs/storage-discovery.md for the precedence.
 */
public final class StoreDiscovery {
    private StoreDiscovery() {
    }

    /** The store's location. */
    public static StoreLocation discover(StoreOverrides overrides, DiscoveryEnvironment environment)
            throws StoreConfigException {
        return report(overrides, environment).location();
    }

    /** The store's location, the semantics applied and notes on each decision. */
    public static DiscoveryReport report(StoreOverrides overrides, DiscoveryEnvironment environment)
            throws StoreConfigException {
        DiscoveryContext ctx = DiscoveryContext.of(overrides, environment);
        ConfigSemantics semantics = environment.semantics();
        ResolvedConfig config = switch (semantics) {
            case CURRENT -> CurrentResolver.resolve(ctx);
            case V1_43 -> LegacyResolver.resolve(ctx);
        };
        List<String> notes = new ArrayList<>();
        notes.add("semantics " + semantics + " (" + environment.semanticsOrigin() + ")");
        if (ctx.rootless()) {
            notes.add("rootless, uid " + ctx.rootlessUid());
        }
        notes.addAll(config.notes());

        Path graphRoot = config.graphRoot();
        Path runRoot = config.runRoot();
        if (ctx.inUnshare()) {
            // Inside `podman unshare` podman exports the roots it used itself (brief §1); they beat our own reading.
            Optional<String> graph = ctx.variable(DiscoveryContext.GRAPHROOT);
            Optional<String> run = ctx.variable(DiscoveryContext.RUNROOT);
            if (graph.isPresent()) {
                graphRoot = Path.of(graph.get());
                notes.add("graphroot from " + DiscoveryContext.GRAPHROOT);
            }
            if (run.isPresent()) {
                runRoot = Path.of(run.get());
                notes.add("runroot from " + DiscoveryContext.RUNROOT);
            }
        }
        if (overrides.root().isPresent()) {
            graphRoot = overrides.root().get().toAbsolutePath().normalize();
            notes.add("graphroot from --root");
        }
        if (overrides.runRoot().isPresent()) {
            runRoot = overrides.runRoot().get().toAbsolutePath().normalize();
            notes.add("runroot from --runroot");
        }

        Optional<ResolvedConfig.Setting> named = overrides.driver()
                .map(d -> new ResolvedConfig.Setting(d, "--driver")).or(config::driver);
        List<Path> storeRoots = new ArrayList<>(List.of(graphRoot));
        config.imageStore().ifPresent(storeRoots::add);
        DriverChoice.Choice driver = DriverChoice.choose(named, storeRoots, config.defaultDriver());
        notes.add(driver.reason());

        List<Path> additional = DriverOptions.additionalImageStores(config.driverOptions(), driver.driver());
        StoreLocation location = new StoreLocation(graphRoot, runRoot, driver.driver(), config.imageStore(),
                additional, ctx.rootless(), config.sources());
        return new DiscoveryReport(location, semantics, notes);
    }
}
