package layerfd.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import layerfd.client.ImageDetails;
import layerfd.client.LayerfdClient;
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
    public Integer call() throws Exception {
        ImageDetails details;
        try (LayerfdClient client = LayerfdClient.connect(socket.resolve())) {
            details = client.inspect(image);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json.json) {
            JsonOutput.print(out, details);
            return ExitCodes.OK;
        }
        out.println("Id:      " + details.id());
        out.println("Names:   " + String.join(", ", details.names()));
        out.println("Digest:  " + details.digest().orElse("-"));
        out.println("Config:  " + details.configDigest().orElse("-"));
        out.println("Layers (base first):");
        for (ImageDetails.LayerInfo layer : details.layers()) {
            out.printf("  %s  %s  %d bytes%n", layer.id(), layer.diffDigest().orElse("-"), layer.diffSize());
        }
        out.flush();
        return ExitCodes.OK;
    }
}
