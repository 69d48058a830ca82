package layerfd.server.store.config;

import layerfd.server.store.config.internal.PodmanVersion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything outside the configuration files that discovery depends on, as an immutable value so that tests can
 * describe a whole machine: the process environment, the effective uid, the home directory, where the system's
 * {@code /} is, and which containers/storage semantics apply.
 *
 * @param variables      environment variables (an empty value counts as unset)
 * @param effectiveUid   the process's effective uid
 * @param home           the user's home directory ({@code ~/.config}, {@code ~/.local/share})
 * @param systemRoot     stands for {@code /} in every built-in absolute path discovery uses: {@code /etc},
 *                       {@code /usr/share}, {@code /var/lib}, {@code /run}, {@code /tmp}; never for paths taken from
 *                       the environment, the home directory or a configuration file (like Go's
 *                       {@code LoadOptions.RootForImplicitAbsolutePaths}). Production uses {@code /}.
 * @param semantics      the storage.conf rules to apply
 * @param semanticsOrigin why those rules, e.g. "podman version 4.3.1" or "podman not found"
 */
public record DiscoveryEnvironment(Map<String, String> variables, int effectiveUid, Path home, Path systemRoot,
                                   ConfigSemantics semantics, String semanticsOrigin) {
    private static final Path PROC_STATUS = Path.of("/proc/self/status");
    private static final String UID_LINE = "Uid:";
    /** /proc/self/status "Uid:" line: real, effective, saved, filesystem. */
    private static final int EFFECTIVE_UID_FIELD = 2;

    public DiscoveryEnvironment {
        variables = Map.copyOf(variables);
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(systemRoot, "systemRoot");
        Objects.requireNonNull(semantics, "semantics");
        Objects.requireNonNull(semanticsOrigin, "semanticsOrigin");
        if (!systemRoot.isAbsolute()) {
            throw new IllegalArgumentException("systemRoot must be absolute: " + systemRoot);
        }
        if (effectiveUid < 0) {
            throw new IllegalArgumentException("effectiveUid must not be negative: " + effectiveUid);
        }
    }

    /** The running process: its environment, euid, home, the real {@code /}, and semantics from the installed podman. */
    public static DiscoveryEnvironment current() {
        Map<String, String> env = System.getenv();
        String home = env.getOrDefault("HOME", "");
        Optional<String> podman = PodmanVersion.probe();
        return new DiscoveryEnvironment(env, readEffectiveUid(),
                Path.of(home.isEmpty() ? System.getProperty("user.home") : home), Path.of("/"),
                ConfigSemantics.forPodmanVersion(podman), podman.orElse("podman not found"));
    }

    /** The variable's value, absent when unset or empty. */
    public Optional<String> variable(String name) {
        return Optional.ofNullable(variables.get(name)).filter(v -> !v.isEmpty());
    }

    /** A built-in absolute path such as "/etc/containers", placed under {@link #systemRoot()}. */
    public Path systemPath(String absolute) {
        if (!absolute.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute path: " + absolute);
        }
        return systemRoot.resolve(absolute.substring(1));
    }

    private static int readEffectiveUid() {
        try {
            List<String> lines = Files.readAllLines(PROC_STATUS);
            for (String line : lines) {
                if (line.startsWith(UID_LINE)) {
                    return Integer.parseInt(line.substring(UID_LINE.length()).trim().split("\\s+")[EFFECTIVE_UID_FIELD - 1]);
                }
            }
            throw new IllegalStateException(PROC_STATUS + " has no " + UID_LINE + " line");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + PROC_STATUS, e);
        }
    }
}
