package layerfd.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "inspect", description = "Show an image: names, digests, manifest, config and layers (base first).")
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "IMAGE", description = "Image id, unique id prefix, name or manifest digest.")
    String image;
    @Mixin
    SocketOption socket;
    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        return NotBuiltYet.answer(spec, 4);
    }
}
