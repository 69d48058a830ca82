package layerfd.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import layerfd.client.ImageSummary;
import layerfd.client.LayerfdClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "images", description = "List the images the server can stream.")
final class ImagesCommand implements Callable<Integer> {
    /** Ids are shown as podman does: the first 12 hex digits. */
    static final int SHORT_ID = 12;

    @Spec
    CommandSpec spec;
    @Mixin
    SocketOption socket;
    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws Exception {
        List<ImageSummary> images;
        try (LayerfdClient client = LayerfdClient.connect(socket.resolve())) {
            images = client.images();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json.json) {
            JsonOutput.print(out, Map.of("images", images));
            return ExitCodes.OK;
        }
        out.printf("%-12s  %-30s  %s%n", "IMAGE ID", "CREATED", "NAMES");
        for (ImageSummary image : images) {
            out.printf("%-12s  %-30s  %s%n", image.id().substring(0, Math.min(SHORT_ID, image.id().length())),
                    image.created().orElse("-"), image.names().isEmpty() ? "<none>" : String.join(", ", image.names()));
        }
        out.flush();
        return ExitCodes.OK;
    }
}
