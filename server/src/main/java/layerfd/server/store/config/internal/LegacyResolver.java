package layerfd.server.store.config.internal;

import layerfd.server.store.StoreLocation;
import layerfd.server.store.config.StoreConfigException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * containers/storage v1.43 rules as in podman 4.3 ({@code types.DefaultStoreOptions}; containers-storage brief §1,
 * "Old code", corrected by the podman 4.3 oracle): no drop-ins; root reads one system file; a rootless user's own
 * file replaces the system file completely, and without one rootless takes only rootless_storage_path and a
 * rootless-capable driver from the system file (plus its additional image stores when that file came from
 * CONTAINERS_STORAGE_CONF), never its graphroot or runroot.
 */
public final class LegacyResolver {
    private static final String FILE = "storage.conf";
    private static final String ADMIN_OVERRIDE = "/etc/containers/" + FILE;
    private static final String SYSTEM_DEFAULT = "/usr/share/containers/" + FILE;
    /** v1.43 {@code isRootlessDriver}: drivers a rootless user may inherit from the system file. */
    private static final Set<String> ROOTLESS_CAPABLE = Set.of("btrfs", "overlay", "overlay2", "vfs");

    private LegacyResolver() {
    }

    public static ResolvedConfig resolve(DiscoveryContext ctx) throws StoreConfigException {
        Optional<Path> systemFile = systemFile(ctx);
        StorageConf system = systemFile.isPresent() ? StorageConfParser.read(systemFile.get()) : StorageConf.EMPTY;
        List<String> notes = new ArrayList<>();
        if (system.imageStore().isPresent() || system.transientStore().isPresent()) {
            notes.add("imagestore and transient_store are not known to containers/storage v1.43; ignored");
        }
        return ctx.rootless() ? rootless(ctx, systemFile, system, notes) : root(ctx, systemFile, system, notes);
    }

    /**
     * {@code loadDefaultStoreOptions}: CONTAINERS_STORAGE_CONF (must exist), else $XDG_CONFIG_HOME's file when the
     * variable is set and the file exists, else /etc, else /usr/share, else none.
     */
    private static Optional<Path> systemFile(DiscoveryContext ctx) throws StoreConfigException {
        Optional<String> explicit = ctx.variable(DiscoveryContext.STORAGE_CONF);
        if (explicit.isPresent()) {
            Path path = Path.of(explicit.get());
            if (!Files.exists(path)) {
                throw new StoreConfigException(DiscoveryContext.STORAGE_CONF + " names " + path
                        + ", which does not exist");
            }
            return Optional.of(path);
        }
        List<Path> candidates = new ArrayList<>();
        ctx.variable(DiscoveryContext.XDG_CONFIG_HOME)
                .ifPresent(x -> candidates.add(Path.of(x).resolve("containers").resolve(FILE)));
        candidates.add(ctx.systemPath(ADMIN_OVERRIDE));
        candidates.add(ctx.systemPath(SYSTEM_DEFAULT));
        return candidates.stream().filter(Files::exists).findFirst();
    }

    /**
     * Root re-reads the system file into empty options, so graphroot and runroot come only from that file: podman 4.3
     * fails with "runroot must be set" / "graphroot must be set" when the file lacks them (observed).
     */
    private static ResolvedConfig root(DiscoveryContext ctx, Optional<Path> file, StorageConf conf, List<String> notes)
            throws StoreConfigException {
        Function<String, String> variables = variables(ctx);
        Path runRoot = DefaultLocations.runRoot(ctx);
        Path graphRoot = DefaultLocations.graphRoot(ctx);
        if (file.isPresent()) {
            runRoot = expand(ctx, required(conf.runRoot(), "runroot", file.get()), variables);
            graphRoot = expand(ctx, required(conf.graphRoot(), "graphroot", file.get()), variables);
        } else {
            notes.add("no storage.conf found; built-in defaults apply");
        }
        Optional<ResolvedConfig.Setting> driver = explicitDriver(ctx, conf.driver(), file);
        List<String> options = optionsOrEnvironment(ctx, conf, notes);
        return new ResolvedConfig(graphRoot, runRoot, driver, StoreLocation.OVERLAY, Optional.empty(), options,
                file.stream().toList(), notes);
    }

    private static ResolvedConfig rootless(DiscoveryContext ctx, Optional<Path> systemFile, StorageConf system,
                                           List<String> notes) throws StoreConfigException {
        Function<String, String> variables = variables(ctx);
        // getRootlessStorageOpts: the rootless defaults, with the system file's rootless_storage_path.
        Path defaultRunRoot = DefaultLocations.runRoot(ctx);
        Path defaultGraphRoot = system.rootlessStoragePath().map(p -> expand(ctx, p, variables))
                .orElseGet(() -> DefaultLocations.graphRoot(ctx));

        // The user's own file replaces the system file completely; only missing roots fall back to the defaults.
        // (CONTAINERS_STORAGE_CONF is not such a file: podman 4.3 installs it as the default configuration file, so
        // it is the system file below; observed: its graphroot and runroot are ignored for rootless.)
        Path userFile = ctx.userConfigDir().resolve(FILE);
        if (ctx.variable(DiscoveryContext.STORAGE_CONF).isEmpty() && Files.exists(userFile)) {
            StorageConf user = StorageConfParser.read(userFile);
            Path runRoot = user.runRoot().map(r -> expand(ctx, r, variables)).orElse(defaultRunRoot);
            Path graphRoot = user.graphRoot().or(user::rootlessStoragePath).map(g -> expand(ctx, g, variables))
                    .orElse(defaultGraphRoot);
            List<Path> sources = new ArrayList<>(systemFile.stream().toList());
            sources.add(userFile);
            notes.add("rootless: " + userFile + " replaces the system storage.conf");
            // No driver named: the store picks one by priority, which never picks vfs unasked (observed: overlay).
            return new ResolvedConfig(graphRoot, runRoot, explicitDriver(ctx, user.driver(), Optional.of(userFile)),
                    StoreLocation.OVERLAY, Optional.empty(), optionsOrEnvironment(ctx, user, notes), sources, notes);
        }

        Optional<String> inherited = system.driver().filter(ROOTLESS_CAPABLE::contains);
        if (system.driver().isPresent() && inherited.isEmpty()) {
            notes.add("rootless: system driver '" + system.driver().get() + "' is not rootless-capable; ignored");
        }
        boolean explicitFile = ctx.variable(DiscoveryContext.STORAGE_CONF).isPresent();
        if (systemFile.isPresent()) {
            notes.add("rootless: only rootless_storage_path and the driver" + (explicitFile ? ", driver options" : "")
                    + " are taken from " + systemFile.get() + "; its graphroot and runroot do not apply");
        }
        // getRootlessStorageOpts: the driver options (additional image stores) are copied only from a file set as the
        // default configuration (CONTAINERS_STORAGE_CONF); STORAGE_OPTS is appended, which in effect replaces them.
        List<String> options = DriverOptions.fromEnvironment(ctx).orElse(explicitFile
                ? DriverOptions.forImageStores(system.additionalImageStorePaths()) : List.of());
        return new ResolvedConfig(defaultGraphRoot, defaultRunRoot, explicitDriver(ctx, inherited, systemFile),
                StoreLocation.VFS, Optional.empty(), options, systemFile.stream().toList(), notes);
    }

    private static Optional<ResolvedConfig.Setting> explicitDriver(DiscoveryContext ctx, Optional<String> configured,
                                                                  Optional<Path> file) {
        Optional<String> env = ctx.variable(DiscoveryContext.STORAGE_DRIVER);
        if (env.isPresent()) {
            return Optional.of(new ResolvedConfig.Setting(env.get(), DiscoveryContext.STORAGE_DRIVER));
        }
        return configured.map(d -> new ResolvedConfig.Setting(d, file.map(Path::toString).orElse("storage.conf")));
    }

    private static List<String> optionsOrEnvironment(DiscoveryContext ctx, StorageConf conf, List<String> notes) {
        Optional<List<String>> env = DriverOptions.fromEnvironment(ctx);
        if (env.isPresent()) {
            notes.add(DiscoveryContext.STORAGE_OPTS + " replaces the configured driver options");
            return env.get();
        }
        return DriverOptions.forImageStores(conf.additionalImageStorePaths());
    }

    private static String required(Optional<String> value, String key, Path file) throws StoreConfigException {
        return value.orElseThrow(() -> new StoreConfigException("storage.conf " + file + " sets no " + key
                + ": containers/storage v1.43 (podman 4.3) takes root's " + key + " only from that file and fails"
                + " with '" + key + " must be set'"));
    }

    private static Path expand(DiscoveryContext ctx, String path, Function<String, String> variables) {
        return PathExpansion.expand(path, ctx.rootlessUid(), variables);
    }

    private static Function<String, String> variables(DiscoveryContext ctx) {
        return name -> ctx.variable(name).orElse("");
    }
}
