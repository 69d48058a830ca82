package layerfd.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "import", description = "Import an image into a content-addressed object store (fs-verity digests).")
final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "IMAGE", description = "Image id, unique id prefix, name or manifest digest.")
    String image;
    @Option(names = "--repo", paramLabel = "DIR", required = true, description = "Object store directory.")
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
