package layerfd.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "serve", description = "Serve containers-storage layers as splitfdstreams on a Unix socket.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    SocketOption socket;
    @Mixin
    StorageOptions storage;

    @Override
    public Integer call() {
        return NotBuiltYet.answer(spec, 4);
    }
}
