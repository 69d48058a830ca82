package layerfd.client.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import layerfd.client.ReflinkPolicy;
import org.tomlj.Toml;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;

/**
 * Decides the reflink policy (api-contract.md §5). From weakest to strongest:
 * <ol>
 *   <li>the default, {@code disabled};</li>
 *   <li>{@code /usr/lib/bootc/install/*.toml}, in file-name order, a later file winning (a bootc image opts in at
 *       build time);</li>
 *   <li>{@code /etc/layerfd/config.toml} (the host's administrator);</li>
 *   <li>{@code $XDG_CONFIG_HOME/layerfd/config.toml}, else {@code ~/.config/layerfd/config.toml} (the user);</li>
 *   <li>{@code --config FILE}, which replaces all of the files above (a missing file is an error);</li>
 *   <li>{@code --unified}.</li>
 * </ol>
 * Every file is TOML; only {@code [install.storage] unified} is read. A file that does not parse, or a value that
 * is not one of the three policies, is an error naming the file.
 */
public final class PolicyConfig {
    static final String KEY = "install.storage.unified";
    private final Path systemRoot;
    private final Map<String, String> env;

    /**
     * @param systemRoot prefix of /etc and /usr/lib ("/" in production; a test tree in tests)
     * @param env        the environment (XDG_CONFIG_HOME, HOME)
     */
    public PolicyConfig(Path systemRoot, Map<String, String> env) {
        this.systemRoot = systemRoot;
        this.env = Map.copyOf(env);
    }

    public static PolicyConfig system() {
        return new PolicyConfig(Path.of("/"), System.getenv());
    }

    public PolicyDecision decide(Optional<Path> configFile, Optional<String> unifiedFlag) throws ConfigException {
        if (unifiedFlag.isPresent()) {
            try {
                return new PolicyDecision(ReflinkPolicy.parse(unifiedFlag.get()), "--unified");
            } catch (IllegalArgumentException e) {
                throw new ConfigException("--unified: " + e.getMessage());
            }
        }
        PolicyDecision decision = new PolicyDecision(ReflinkPolicy.DISABLED, "default");
        List<Path> files = new ArrayList<>();
        if (configFile.isPresent()) {
            if (!Files.isRegularFile(configFile.get())) {
                throw new ConfigException(configFile.get() + ": no such config file");
            }
            files.add(configFile.get());
        } else {
            files.addAll(bootcDropIns());
            files.add(systemRoot.resolve("etc/layerfd/config.toml"));
            files.add(userConfig());
        }
        for (Path file : files) {
            Optional<ReflinkPolicy> policy = read(file);
            if (policy.isPresent()) {
                decision = new PolicyDecision(policy.get(), file.toString());
            }
        }
        return decision;
    }

    private Path userConfig() {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(env.getOrDefault("HOME", "/"), ".config");
        return base.resolve("layerfd/config.toml");
    }

    private List<Path> bootcDropIns() throws ConfigException {
        Path dir = systemRoot.resolve("usr/lib/bootc/install");
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.toml")) {
            entries.forEach(found::add);
        } catch (IOException e) {
            throw new ConfigException(dir + ": " + e.getMessage());
        }
        found.sort(null);
        return found;
    }

    private static Optional<ReflinkPolicy> read(Path file) throws ConfigException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        TomlParseResult toml;
        try {
            toml = Toml.parse(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": " + e.getMessage());
        }
        if (toml.hasErrors()) {
            TomlParseError first = toml.errors().get(0);
            throw new ConfigException(file + ":" + first.position().line() + ": " + first.getMessage());
        }
        if (!toml.contains(KEY)) {
            return Optional.empty();
        }
        if (!toml.isString(KEY)) {
            throw new ConfigException(file + ": [install.storage] unified must be a string");
        }
        try {
            return Optional.of(ReflinkPolicy.parse(toml.getString(KEY)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + ": " + e.getMessage());
        }
    }
}
