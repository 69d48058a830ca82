package layerfd.cli;

import java.nio.file.Path;
import java.util.Optional;
import layerfd.client.config.ConfigException;
import layerfd.client.config.PolicyConfig;
import layerfd.client.config.PolicyDecision;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** --unified and --config: the reflink policy (api-contract.md §5) of a command that writes file contents. */
final class PolicyOptions {
    @Option(names = "--unified", paramLabel = "POLICY",
            description = "enabled | enabled-with-copy | disabled (overrides the config file).")
    String unified;

    @Option(names = "--config", paramLabel = "FILE", description = "layerfd/bootc TOML config with [install.storage].")
    Path config;

    /** The policy in force and where it came from; a bad file or value is a usage error naming it. */
    PolicyDecision decide(CommandSpec spec) {
        try {
            return PolicyConfig.system().decide(Optional.ofNullable(config), Optional.ofNullable(unified));
        } catch (ConfigException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
