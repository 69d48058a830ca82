package layerfd.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "conformance", description = "Check that a peer speaks the layerfd wire.",
        subcommands = {ConformanceCommand.Transport.class, ConformanceCommand.Server.class})
final class ConformanceCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a conformance suite is required: transport or server");
    }

    @Command(name = "transport", description = "Drive any jsonrpc-fdpass peer implementing echo, readFile, createPipe.")
    static final class Transport implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        SocketOption socket;
        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            return NotBuiltYet.answer(spec, 7);
        }
    }

    @Command(name = "server", description = "Drive any server of GetImage, GetSplitFDStream, GetLayerSplitfdstream.")
    static final class Server implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--image", paramLabel = "IMAGE", required = true, description = "Image to stream.")
        String image;
        @Mixin
        SocketOption socket;
        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            return NotBuiltYet.answer(spec, 7);
        }
    }
}
