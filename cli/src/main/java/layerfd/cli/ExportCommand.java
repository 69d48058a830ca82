package layerfd.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
 * The byte-exact layer tar, verified against the layer's diff-digest while it is written. With -o a new or regular
 * FILE gets a temporary file beside it that is renamed into place only once verified, so FILE is never half-written;
 * a device, FIFO or symlink (-o /dev/null) is written into instead, never replaced.
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
        LayerStream.TarWritten written = replacesARegularFile(target) ? writeBesideThenRename(layer, target)
                : writeInto(layer, target);
        spec.commandLine().getErr().printf("layerfd export: %s: %d bytes, %s%s%n", output, written.size(),
                written.digest(), written.verified() ? " (matches the layer's diff-digest)" : "");
    }

    /**
     * A new or regular FILE is replaced whole, so it is never half-written. Anything else (/dev/null, a FIFO,
     * /dev/stdout, a symlink) is written into as it is: a rename would replace the device node or the link itself.
     */
    private static boolean replacesARegularFile(Path target) {
        return !Files.exists(target, LinkOption.NOFOLLOW_LINKS)
                || Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS);
    }

    private static LayerStream.TarWritten writeBesideThenRename(LayerStream layer, Path target) throws IOException {
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".partial");
        try {
            LayerStream.TarWritten written;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 20)) {
                written = layer.writeTar(out, Optional.empty(), -1);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return written;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static LayerStream.TarWritten writeInto(LayerStream layer, Path target) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING), 1 << 20)) {
            return layer.writeTar(out, Optional.empty(), -1);
        }
    }
}
