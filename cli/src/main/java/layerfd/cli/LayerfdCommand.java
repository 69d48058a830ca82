package layerfd.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** `layerfd`: the command tree of api-contract.md §4. */
@Command(name = "layerfd",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Shares container image bytes between storage systems on one host: a server opens "
                + "containers-storage read-only and hands each layer out as a splitfdstream over a Unix socket, "
                + "with file contents passed as open file descriptors that clients reflink.",
        subcommands = {
                ServeCommand.class,
                ImagesCommand.class,
                InspectCommand.class,
                ExportCommand.class,
                ExtractCommand.class,
                ImportCommand.class,
                FsckCommand.class,
                StatusCommand.class,
                ConformanceCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 operation failed, 2 usage error."})
final class LayerfdCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required");
    }
}
