package layerfd.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "fsck", description = "Check an object store against its objects and containers-storage.")
final class FsckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Option(names = "--repo", paramLabel = "DIR", required = true, description = "Object store directory.")
    Path repo;
    @Option(names = "--repair", description = "Re-import what is missing or corrupt through the server.")
    boolean repair;
    @Mixin
    SocketOption socket;
    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        return NotBuiltYet.answer(spec, 6);
    }
}
