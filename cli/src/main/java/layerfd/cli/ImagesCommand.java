package layerfd.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "images", description = "List the images the server can stream.")
final class ImagesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    SocketOption socket;
    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        return NotBuiltYet.answer(spec, 4);
    }
}
