import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import layerfd.client.ImageDetails;
import layerfd.client.LayerStream;
import layerfd.client.LayerfdClient;

/**
 * Writes every layer of an image as its byte-exact tar, each checked against the layer's diff-digest.
 *
 *   java --enable-native-access=ALL-UNNAMED -cp 'cli/target/layerfd.jar:cli/target/lib/*' \
 *       docs/examples/ExportImage.java SOCKET IMAGE OUTDIR
 */
public class ExportImage {
    public static void main(String[] args) throws Exception {
        Path socket = Path.of(args[0]);
        Path outDir = Files.createDirectories(Path.of(args[2]));
        try (LayerfdClient client = LayerfdClient.connect(socket)) {
            ImageDetails image = client.inspect(args[1]);
            for (ImageDetails.LayerInfo layer : image.layers()) {
                // At most 64 content files open at once, whatever the layer holds.
                try (LayerStream stream = client.openLayerWindowed(layer.id(), 64);
                     OutputStream out = Files.newOutputStream(outDir.resolve(layer.id() + ".tar"))) {
                    LayerStream.TarWritten tar = stream.writeTar(out, layer.diffDigest(), layer.diffSize());
                    System.out.println(layer.id() + " " + tar.digest() + " " + tar.size());
                }
            }
        }
    }
}
