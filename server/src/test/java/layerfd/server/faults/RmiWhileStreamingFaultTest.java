package layerfd.server.faults;

import static layerfd.server.testing.JavaClient.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import layerfd.protocol.Methods;
import layerfd.protocol.jsonrpc.ErrorCodes;
import layerfd.protocol.jsonrpc.Response;
import layerfd.protocol.jsonrpc.RpcError;
import layerfd.server.store.Fixtures;
import layerfd.server.store.StoreLocation;
import layerfd.server.testing.JavaClient;
import layerfd.server.testing.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code podman rmi} of the image a client is streaming (docs/faults.md "rmi while streaming"). The defined outcome:
 * a whole stream (GetSplitFDStream) whose fds the client already holds rebuilds byte-exact after the rmi, because
 * open descriptors keep the deleted inodes alive; a windowed stream opened before the rmi gets -32002 for a window
 * asked for after it (its files are opened fresh per window and no longer exist); a new request gets -32000/-32001.
 * Never a corrupt stream. The big fixture image is used because its 100 MiB file travels as an external fd.
 */
class RmiWhileStreamingFaultTest {
    @TempDir
    Path dir;

    @Test
    void fdsHeldAcrossRmiStillRebuildByteExactAndLaterRequestsGetClearErrors() throws Exception {
        StoreLocation store = Podman.copyOf(Fixtures.ROOT_OVERLAY, dir);
        Podman podman = new Podman(store);
        KnownLayer big = KnownLayer.ofImage(store, Fixtures.BIG).getLast();
        List<KnownLayer> base = KnownLayer.ofImage(store, Fixtures.BASE);
        Map<String, String> baseBefore = UntouchedLayers.of(store, base);
        try (ServerProcess server = ServerProcess.start(dir.resolve("layerfd.sock"), store);
             JavaClient client = JavaClient.connect(server.socket())) {
            client.result(Methods.INITIALIZE, params());
            // Warm-up: the first store request opens the lock files the server keeps for good (docs/storage.md).
            client.result(Methods.GET_IMAGE, params(Methods.Params.IMAGE_ID, Fixtures.BASE));
            LayerStreamCheck.stream(client, base.getFirst(), new StreamTally());
            int baseline = server.settleFds(0);

            Response whole = client.call(Methods.GET_SPLIT_FD_STREAM, params(Methods.Params.LAYER_ID, big.id()));
            assertFalse(whole.isError(), () -> String.valueOf(whole.error()));
            String window;
            try (Response opened = client.call(Methods.OPEN_LAYER_STREAM, params(Methods.Params.LAYER, big.id(),
                    Methods.Params.MAX_FDS, 1))) {
                assertFalse(opened.isError(), () -> String.valueOf(opened.error()));
                window = opened.result().get(Methods.Results.STREAM).textValue();
            }

            podman.ok("rmi", Fixtures.BIG);
            assertFalse(Files.exists(store.graphRoot().resolve("overlay").resolve(big.id())),
                    "podman removed the layer's directory");

            try (whole) {
                JavaClient.Reassembled tar = JavaClient.reassemble(whole.fds());
                assertEquals(big.diffDigest(), tar.sha256(), "held fds rebuild the removed layer byte-exact");
                assertEquals(big.diffSize(), tar.length());
                assertTrue(tar.stats().externalBytes() > 100 << 20, "the big file came as an fd: " + tar.stats());
            }
            RpcError lateWindow = client.error(Methods.READ_LAYER_FILES, params(Methods.Params.STREAM, window,
                    Methods.Params.START, 0, Methods.Params.COUNT, 1));
            assertEquals(ErrorCodes.FILE_MISSING_FROM_LAYER, lateWindow.code(), lateWindow.toString());
            assertTrue(lateWindow.message().contains(big.id()), lateWindow.message());
            client.result(Methods.CLOSE_LAYER_STREAM, params(Methods.Params.STREAM, window));

            RpcError gone = client.error(Methods.GET_SPLIT_FD_STREAM, params(Methods.Params.LAYER_ID, big.id()));
            assertEquals(ErrorCodes.LAYER_NOT_FOUND, gone.code(), gone.toString());
            assertTrue(gone.message().contains(big.id()), gone.message());
            RpcError image = client.error(Methods.GET_IMAGE, params(Methods.Params.IMAGE_ID, Fixtures.BIG));
            assertEquals(ErrorCodes.IMAGE_NOT_FOUND, image.code(), image.toString());

            StreamTally others = new StreamTally();
            for (KnownLayer layer : base) {
                LayerStreamCheck.stream(client, layer, others);
            }
            assertEquals(base.size(), others.completedCount(), others.toString());
            client.close();
            // The baseline counted this client's connection, closed just above: at most the baseline, never more.
            int after = server.settleFds(baseline - 1);
            assertTrue(after <= baseline, "server fds back to the baseline " + baseline + ": " + after);
            assertEquals(0, server.stop(), server.log());
        }
        assertEquals(baseBefore, UntouchedLayers.of(store, base), "the layers podman kept are untouched");
        System.out.println("FIGURES rmi: podman " + podman.runs().stream().map(r -> r.args() + " exit " + r.exit()
                + " " + r.millis() + " ms").toList());
    }
}
