package layerfd.server;

import static layerfd.server.testing.JavaClient.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import layerfd.protocol.Methods;
import layerfd.protocol.jsonrpc.ErrorCodes;
import layerfd.protocol.jsonrpc.RpcError;
import layerfd.server.store.Fixtures;
import layerfd.server.store.LayerRecord;
import layerfd.server.store.Store;
import layerfd.server.store.StoreLocation;
import layerfd.server.store.StoreSnapshot;
import layerfd.server.testing.JavaClient;
import layerfd.server.testing.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract's store errors (-32002, -32003, -32007) from a real server on a private copy of the root/overlay
 * fixture store that the test damages the way a broken or half-deleted store would be, one request at a time on one
 * connection (which stays open).
 */
class StoreDamageTest {
    @TempDir
    Path dir;

    @Test
    void damagedLayersGetTheContractsErrorCodesOnAnOpenConnection() throws Exception {
        StoreLocation copy = Fixtures.copy(Fixtures.ROOT_OVERLAY, dir);
        List<LayerRecord> layers;
        try (StoreSnapshot s = Store.open(copy).readLocked()) {
            layers = s.imageLayers(s.resolveImage(Fixtures.BASE));
        }
        LayerRecord first = layers.getFirst();
        Path diff = copy.graphRoot().resolve("overlay").resolve(first.id()).resolve("diff");
        try (ServerProcess server = ServerProcess.start(dir.resolve("layerfd.sock"), copy);
             JavaClient client = JavaClient.connect(server.socket())) {
            // Same size, other bytes: only the CRC-64 from tar-split can tell (the file travels inline).
            Path hello = diff.resolve("etc/hello");
            byte[] original = Files.readAllBytes(hello);
            Files.writeString(hello, "HELLO\n", StandardCharsets.UTF_8);
            RpcError crc = client.error(Methods.GET_SPLIT_FD_STREAM, params("layerId", first.id()));
            assertEquals(ErrorCodes.IO_ERROR, crc.code());
            assertTrue(crc.message().contains("etc/hello"), crc.message());
            Files.write(hello, original);

            Path gone = diff.resolve("opq/a");
            Files.delete(gone);
            RpcError missing = client.error(Methods.GET_SPLIT_FD_STREAM, params("layerId", first.id()));
            assertEquals(ErrorCodes.FILE_MISSING_FROM_LAYER, missing.code());
            assertTrue(missing.message().contains("opq/a") && missing.message().contains(first.id()),
                    missing.message());

            LayerRecord top = layers.getLast();
            Files.delete(copy.graphRoot().resolve("overlay-layers").resolve(top.id() + ".tar-split.gz"));
            RpcError notExact = client.error(Methods.GET_LAYER_SPLITFDSTREAM, params("layer", top.id()));
            assertEquals(ErrorCodes.LAYER_NOT_BYTE_EXACT, notExact.code());
            assertTrue(notExact.message().contains(top.id()), notExact.message());

            assertTrue(client.isOpen(), "request errors never close the connection");
            assertTrue(client.result(Methods.LIST_IMAGES, params()).get("images").size() > 0, "still serving");
            assertEquals(0, server.stop(), server.log());
        }
    }
}
