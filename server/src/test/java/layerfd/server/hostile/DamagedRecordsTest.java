package layerfd.server.hostile;

import static layerfd.server.testing.JavaClient.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import layerfd.protocol.Methods;
import layerfd.protocol.jsonrpc.ErrorCodes;
import layerfd.protocol.jsonrpc.RpcError;
import layerfd.server.store.Fixtures;
import layerfd.server.store.StoreLocation;
import layerfd.server.testing.JavaClient;
import layerfd.server.testing.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store whose image records are damaged under a running server (docs/hostile-inputs.md): every request gets a
 * clear error naming the file, the connection and the server stay up, and a repaired file is served again.
 */
class DamagedRecordsTest {
    @TempDir
    Path dir;

    @Test
    void truncatedImagesJsonAndAnImageNamingAMissingLayerGetClearErrors() throws Exception {
        StoreLocation copy = Fixtures.copy(Fixtures.ROOT_OVERLAY, dir);
        Path images = copy.graphRoot().resolve("overlay-images").resolve("images.json");
        byte[] original = Files.readAllBytes(images);
        try (ServerProcess server = ServerProcess.start(dir.resolve("layerfd.sock"), copy);
             JavaClient client = JavaClient.connect(server.socket())) {
            Files.write(images, Arrays.copyOf(original, original.length / 2));
            RpcError truncated = client.error(Methods.GET_IMAGE, params(Methods.Params.IMAGE_ID, Fixtures.BASE));
            assertEquals(ErrorCodes.IO_ERROR, truncated.code(), truncated.message());
            assertTrue(truncated.message().contains("images.json"), truncated.message());

            String text = new String(original, StandardCharsets.UTF_8);
            String missing = "0".repeat(64);
            String top = text.replaceAll("(\"layer\"\\s*:\\s*\")[0-9a-f]{64}", "$1" + missing);
            Files.writeString(images, top);
            RpcError dangling = client.error(Methods.GET_IMAGE, params(Methods.Params.IMAGE_ID, Fixtures.BASE));
            assertEquals(ErrorCodes.LAYER_NOT_FOUND, dangling.code(), dangling.message());
            assertTrue(dangling.message().contains(missing), dangling.message());

            Files.write(images, original);
            client.result(Methods.GET_IMAGE, params(Methods.Params.IMAGE_ID, Fixtures.BASE));
            assertEquals(0, server.stop(), server.log());
        }
    }
}
