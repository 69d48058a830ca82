package layerfd.server;

import static layerfd.server.testing.JavaClient.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import layerfd.protocol.Methods;
import layerfd.protocol.jsonrpc.ErrorCodes;
import layerfd.protocol.jsonrpc.RpcError;
import layerfd.server.store.LayerRecord;
import layerfd.server.store.Store;
import layerfd.server.store.StoreLocation;
import layerfd.server.store.StoreSnapshot;
import layerfd.server.testing.JavaClient;
import layerfd.server.testing.ManyFilesFixture;
import layerfd.server.testing.PythonClient;
import layerfd.server.testing.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The large case: a layer with 100,000 external files to a client whose RLIMIT_NOFILE is 1024. Opt-in
 * ({@code -Dlayerfd.huge=true}): its fixture store is about a gigabyte and takes a minute to build.
 */
@EnabledIfSystemProperty(named = "layerfd.huge", matches = "true")
class HugeLayerTest {
    private static final int CLIENT_FD_LIMIT = 1024;
    private static final int WINDOW = 512;

    @TempDir
    Path dir;

    @Test
    void aHundredThousandFilesStreamWindowedToAClientLimitedTo1024Fds() throws Exception {
        StoreLocation location = ManyFilesFixture.hugeLocation();
        LayerRecord layer;
        try (StoreSnapshot s = Store.open(location).readLocked()) {
            layer = s.imageLayers(s.resolveImage(ManyFilesFixture.FILES_100K)).getLast();
        }
        try (ServerProcess server = ServerProcess.start(dir.resolve("layerfd.sock"), location)) {
            try (JavaClient client = JavaClient.connect(server.socket())) {
                RpcError tooMany = client.error(Methods.GET_SPLIT_FD_STREAM, params("layerId", layer.id()));
                assertEquals(ErrorCodes.RESOURCE_LIMIT_REACHED, tooMany.code(), tooMany.message());
            }
            JsonNode out = PythonClient.runWith(PythonClient.withFdLimit(CLIENT_FD_LIMIT), server.socket(),
                    "windowed", layer.id(), "--window", String.valueOf(WINDOW));
            assertEquals(layer.diffDigest().orElseThrow(), out.get("sha256").textValue());
            assertEquals(layer.diffSize(), out.get("length").longValue());
            assertEquals(ManyFilesFixture.EXTERNAL_100K, out.get("open").get("files").intValue());
            assertTrue(out.get("peak_open_fds").intValue() < CLIENT_FD_LIMIT, out.toString());
            assertEquals(0, server.stop(), server.log());
        }
    }
}
