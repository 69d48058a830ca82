package layerfd.server.store.config;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which containers/storage rules for reading storage.conf apply. They differ in which files are read and how a rootless
 * user's file relates to the system file (containers-storage brief §1 and §6).
 */
public enum ConfigSemantics {
    /**
     * Current containers/storage ({@code pkg/configfile}, podman 6): one main file, then drop-in directories, then
     * {@code CONTAINERS_STORAGE_CONF_OVERRIDE}; every file merges key by key into one configuration.
     */
    CURRENT,
    /**
     * containers/storage v1.43 as built into podman 4.3: no drop-ins; a rootless user's file replaces the system file
     * completely; without one, rootless takes only a few keys from the system file and defaults to vfs.
     */
    V1_43;

    /**
     * Drop-in support for storage.conf arrived with podman 6 (maintainer comment on
     * containers/container-libs#164, 2026-04-21: "storage.conf.d drop in support is added in podman 6"). Podman 4.x
     * and 5.x therefore read storage.conf the old way, which {@link #V1_43} models.
     */
    public static final int FIRST_MAJOR_WITH_DROP_INS = 6;

    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    /**
     * The semantics for a podman with the given {@code podman --version} output; an absent or unparseable version
     * means the current rules.
     */
    public static ConfigSemantics forPodmanVersion(Optional<String> versionOutput) {
        if (versionOutput.isEmpty()) {
            return CURRENT;
        }
        Matcher m = VERSION.matcher(versionOutput.get());
        if (!m.find()) {
            return CURRENT;
        }
        return Integer.parseInt(m.group(1)) >= FIRST_MAJOR_WITH_DROP_INS ? CURRENT : V1_43;
    }
}
