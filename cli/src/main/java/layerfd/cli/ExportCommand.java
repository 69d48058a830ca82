package layerfd.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "export", description = "Write a layer's byte-exact tar, verified against its diff-digest.")
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "LAYER_ID", description = "Storage layer id.")
    String layerId;
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Output file (default: standard output).")
    Path output;
    @Mixin
    SocketOption socket;

    @Override
    public Integer call() {
        return NotBuiltYet.answer(spec, 6);
    }
}
