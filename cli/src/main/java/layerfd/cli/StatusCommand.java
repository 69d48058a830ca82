package layerfd.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", description = "Show the server, the storage policy and whether extents can be shared.")
final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Option(names = "--repo", paramLabel = "DIR", description = "Object store to report on.")
    Path repo;
    @Option(names = "--config", paramLabel = "FILE", description = "layerfd/bootc TOML config with [install.storage].")
    Path config;
    @Mixin
    SocketOption socket;
    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        return NotBuiltYet.answer(spec, 6);
    }
}
