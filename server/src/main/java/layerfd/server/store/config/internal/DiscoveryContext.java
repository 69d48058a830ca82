package layerfd.server.store.config.internal;

import layerfd.server.store.config.DiscoveryEnvironment;
import layerfd.server.store.config.StoreConfigException;
import layerfd.server.store.config.StoreOverrides;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The environment as discovery sees it: {@code --storage-conf} folded in as {@code CONTAINERS_STORAGE_CONF}, and the
 * rootless identity worked out once.
 *
 * @param environment the machine
 * @param rootlessUid {@code _CONTAINERS_ROOTLESS_UID} when set (inside {@code podman unshare}), else the euid; it
 *                    replaces {@code $UID} in paths and names the rootless drop-in directory
 * @param rootless    whether per-user storage applies: Go {@code usePerUserStorage()}, i.e. rootless (euid != 0 or
 *                    {@code _CONTAINERS_ROOTLESS_UID} set) and the rootless uid is not 0
 * @param inUnshare   {@code _CONTAINERS_ROOTLESS_UID} is set: podman exported its own store paths
 */
public record DiscoveryContext(DiscoveryEnvironment environment, int rootlessUid, boolean rootless,
                               boolean inUnshare) {
    public static final String STORAGE_CONF = "CONTAINERS_STORAGE_CONF";
    public static final String STORAGE_CONF_OVERRIDE = "CONTAINERS_STORAGE_CONF_OVERRIDE";
    public static final String ROOTLESS_UID = "_CONTAINERS_ROOTLESS_UID";
    public static final String GRAPHROOT = "CONTAINERS_GRAPHROOT";
    public static final String RUNROOT = "CONTAINERS_RUNROOT";
    public static final String STORAGE_DRIVER = "STORAGE_DRIVER";
    public static final String STORAGE_OPTS = "STORAGE_OPTS";
    public static final String XDG_CONFIG_HOME = "XDG_CONFIG_HOME";
    public static final String XDG_DATA_HOME = "XDG_DATA_HOME";
    public static final String XDG_RUNTIME_DIR = "XDG_RUNTIME_DIR";

    public static DiscoveryContext of(StoreOverrides overrides, DiscoveryEnvironment environment)
            throws StoreConfigException {
        DiscoveryEnvironment effective = environment;
        if (overrides.storageConf().isPresent()) {
            Map<String, String> variables = new HashMap<>(environment.variables());
            variables.put(STORAGE_CONF, overrides.storageConf().get().toAbsolutePath().toString());
            effective = new DiscoveryEnvironment(variables, environment.effectiveUid(), environment.home(),
                    environment.systemRoot(), environment.semantics(), environment.semanticsOrigin());
        }
        Optional<String> unshareUid = effective.variable(ROOTLESS_UID);
        int uid = effective.effectiveUid();
        if (unshareUid.isPresent()) {
            try {
                uid = Integer.parseInt(unshareUid.get().trim());
            } catch (NumberFormatException e) {
                throw new StoreConfigException(ROOTLESS_UID + "='" + unshareUid.get() + "' is not a uid");
            }
        }
        boolean rootless = (effective.effectiveUid() != 0 || unshareUid.isPresent()) && uid != 0;
        return new DiscoveryContext(effective, uid, rootless, unshareUid.isPresent());
    }

    public Optional<String> variable(String name) {
        return environment.variable(name);
    }

    public Path systemPath(String absolute) {
        return environment.systemPath(absolute);
    }

    /** The directory of the user's own configuration: {@code $XDG_CONFIG_HOME/containers} or ~/.config/containers. */
    public Path userConfigDir() {
        return variable(XDG_CONFIG_HOME).map(Path::of).orElseGet(() -> environment.home().resolve(".config"))
                .resolve("containers");
    }
}
