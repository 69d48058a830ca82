package layerfd.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.Callable;
import layerfd.client.LayerStream;
import layerfd.client.LayerfdClient;
import layerfd.client.ServerImages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The byte-exact layer tar, verified against the layer's diff-digest while it is written. With -o the tar goes to
 * a temporary file beside FILE that is renamed into place only once verified, so FILE is never half-written.
 */
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
    public Integer call() throws Exception {
        try (LayerfdClient client = LayerfdClient.connect(socket.resolve());
             LayerStream layer = client.openLayerWindowed(layerId, ServerImages.WINDOW_FDS)) {
            if (output == null) {
                OutputStream out = new BufferedOutputStream(System.out, 1 << 20);
                layer.writeTar(out, Optional.empty(), -1);
                out.flush();
            } else {
                writeFile(layer);
            }
        }
        return ExitCodes.OK;
    }

    private void writeFile(LayerStream layer) throws IOException {
        Path target = output.toAbsolutePath();
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".partial");
        try {
            LayerStream.TarWritten written;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 20)) {
                written = layer.writeTar(out, Optional.empty(), -1);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            spec.commandLine().getErr().printf("layerfd export: %s: %d bytes, %s%s%n", output, written.size(),
                    written.digest(), written.verified() ? " (matches the layer's diff-digest)" : "");
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
