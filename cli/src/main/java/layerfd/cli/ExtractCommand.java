package layerfd.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "extract", description = "Materialise an image's root filesystem in DEST, reflinking file contents.")
final class ExtractCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", paramLabel = "IMAGE", description = "Image id, unique id prefix, name or manifest digest.")
    String image;
    @Parameters(index = "1", paramLabel = "DEST", description = "Destination directory (must not exist, or be empty).")
    Path destination;
    @Option(names = "--unified", paramLabel = "POLICY",
            description = "enabled | enabled-with-copy | disabled (overrides the config file).")
    String unified;
    @Option(names = "--config", paramLabel = "FILE", description = "layerfd/bootc TOML config with [install.storage].")
    Path config;
    @Option(names = "--verify", description = "Check every layer against its diff-digest.")
    boolean verify;
    @Mixin
    SocketOption socket;
    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        return NotBuiltYet.answer(spec, 6);
    }
}
