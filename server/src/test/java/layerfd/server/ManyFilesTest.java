package layerfd.server;

import static layerfd.server.testing.JavaClient.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import layerfd.protocol.Methods;
import layerfd.protocol.fdpass.FdpassOptions;
import layerfd.protocol.jsonrpc.ErrorCodes;
import layerfd.protocol.jsonrpc.Response;
import layerfd.protocol.jsonrpc.RpcError;
import layerfd.server.store.LayerRecord;
import layerfd.server.store.Store;
import layerfd.server.store.StoreLocation;
import layerfd.server.store.StoreSnapshot;
import layerfd.server.testing.JavaClient;
import layerfd.server.testing.ManyFilesFixture;
import layerfd.server.testing.PythonClient;
import layerfd.server.testing.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Layers with many external files: 1+K fds in one response batched past 253 (Python and Java clients), the windowed
 * stream under {@code ulimit -n 256}, and the limits that answer -32006.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManyFilesTest {
    /** Lower than the 5000-file layer's file count, so only the windowed stream can deliver it. */
    private static final int CLIENT_FD_LIMIT = 256;
    private static final int WINDOW = 200;
    private static final int SMALL_WINDOW = 5;

    @TempDir
    Path dir;
    private StoreLocation location;
    private ServerProcess server;
    private LayerRecord layer700;
    private LayerRecord layer5000;

    @BeforeAll
    void startServer(@TempDir Path classDir) throws IOException {
        location = ManyFilesFixture.location();
        try (StoreSnapshot s = Store.open(location).readLocked()) {
            layer700 = s.imageLayers(s.resolveImage(ManyFilesFixture.FILES_700)).getLast();
            layer5000 = s.imageLayers(s.resolveImage(ManyFilesFixture.FILES_5000)).getLast();
        }
        // A per-response cap between the two layers: 700 fit in one response, 5000 must be windowed.
        server = ServerProcess.start(classDir.resolve("layerfd.sock"), location, "--max-fds-per-response", "1000");
    }

    @AfterAll
    void stopServer() throws Exception {
        assertEquals(0, server.stop(), server.log());
        server.close();
    }

    @Test
    void pythonClientReceivesAll701FdsBatchedPast253AndRebuildsTheLayer() throws Exception {
        JsonNode out = PythonClient.run(server.socket(), "reassemble", layer700.id());
        assertEquals(1 + ManyFilesFixture.EXTERNAL_700, out.get("fds").intValue());
        assertTrue(out.get("max_recvmsg_fds").intValue() <= FdpassOptions.DEFAULT_MAX_FDS_PER_SENDMSG,
                "no recvmsg carried more than one batch: " + out);
        assertEquals(layer700.diffDigest().orElseThrow(), out.get("sha256").textValue());
        assertEquals(layer700.diffSize(), out.get("length").longValue());
        JsonNode info = out.get("fd_info");
        assertEquals(15, info.get("stream").get("seals").intValue(), "F_GET_SEALS: seal, shrink, grow, write");
        assertFalse(info.get("stream").get("writable").booleanValue());
        assertFalse(info.get("content_writable").booleanValue(), "content fds not writable");
        assertEquals("[0]", info.get("content_accmodes").toString(), "content fds O_RDONLY");
        assertEquals("[0]", info.get("content_offsets").toString(), "content fds opened fresh, offset 0");
    }

    @Test
    void javaClientReceivesAll701FdsAndRebuildsTheLayer() throws Exception {
        try (JavaClient client = JavaClient.connect(server.socket());
             Response response = client.call(Methods.GET_SPLIT_FD_STREAM, params("layerId", layer700.id()))) {
            assertFalse(response.isError(), () -> String.valueOf(response.error()));
            assertEquals(1 + ManyFilesFixture.EXTERNAL_700, response.fds().size());
            JavaClient.Reassembled tar = JavaClient.reassemble(response.fds());
            assertEquals(layer700.diffDigest().orElseThrow(), tar.sha256());
            assertEquals(layer700.diffSize(), tar.length());
        }
    }

    @Test
    void windowedStreamDeliversFiveThousandFilesToAClientLimitedTo256Fds() throws Exception {
        JsonNode out = PythonClient.runWith(PythonClient.withFdLimit(CLIENT_FD_LIMIT), server.socket(),
                "windowed", layer5000.id(), "--window", String.valueOf(WINDOW));
        assertEquals(layer5000.diffDigest().orElseThrow(), out.get("sha256").textValue());
        assertEquals(layer5000.diffSize(), out.get("length").longValue());
        JsonNode open = out.get("open");
        assertEquals(ManyFilesFixture.EXTERNAL_5000, open.get("files").intValue());
        assertEquals(WINDOW, open.get("maxFds").intValue());
        assertEquals(layer5000.diffDigest().orElseThrow(), open.get("diffDigest").textValue());
        assertEquals((ManyFilesFixture.EXTERNAL_5000 + WINDOW - 1) / WINDOW, out.get("windows").intValue());
        assertTrue(out.get("peak_open_fds").intValue() < CLIENT_FD_LIMIT, out.toString());
        assertTrue(out.get("closed").get("closed").booleanValue());
    }

    @Test
    void aLayerAboveTheResponseCapIsRefusedWithAPointerToTheWindowedStream() throws Exception {
        try (JavaClient client = JavaClient.connect(server.socket())) {
            RpcError error = client.error(Methods.GET_SPLIT_FD_STREAM, params("layerId", layer5000.id()));
            assertEquals(ErrorCodes.RESOURCE_LIMIT_REACHED, error.code());
            assertTrue(error.message().contains("OpenLayerStream") && error.message().contains(layer5000.id()),
                    error.message());
            assertTrue(client.isOpen());
        }
    }

    @Test
    void windowedStreamParamsAreChecked() throws Exception {
        try (JavaClient client = JavaClient.connect(server.socket())) {
            String token;
            try (Response open = client.call(Methods.OPEN_LAYER_STREAM, params("layer", layer700.id(),
                    "maxFds", SMALL_WINDOW))) {
                assertFalse(open.isError(), () -> String.valueOf(open.error()));
                assertEquals(1, open.fds().size(), "OpenLayerStream sends the memfd only");
                token = open.result().get("stream").textValue();
            }
            RpcError tooMany = client.error(Methods.READ_LAYER_FILES, params("stream", token, "start", 0,
                    "count", SMALL_WINDOW + 1));
            assertEquals(ErrorCodes.INVALID_PARAMS, tooMany.code());
            RpcError pastEnd = client.error(Methods.READ_LAYER_FILES, params("stream", token,
                    "start", ManyFilesFixture.EXTERNAL_700 - 2, "count", 3));
            assertEquals(ErrorCodes.INVALID_PARAMS, pastEnd.code());
            RpcError unknown = client.error(Methods.READ_LAYER_FILES, params("stream", "s999", "start", 0,
                    "count", 1));
            assertEquals(ErrorCodes.INVALID_PARAMS, unknown.code());
            assertTrue(unknown.message().contains("s999"));
            try (Response window = client.call(Methods.READ_LAYER_FILES, params("stream", token,
                    "start", ManyFilesFixture.EXTERNAL_700 - SMALL_WINDOW, "count", SMALL_WINDOW))) {
                assertFalse(window.isError(), () -> String.valueOf(window.error()));
                assertEquals(SMALL_WINDOW, window.fds().size());
            }
            assertTrue(client.result(Methods.CLOSE_LAYER_STREAM, params("stream", token)).get("closed")
                    .booleanValue());
            assertEquals(ErrorCodes.INVALID_PARAMS, client.error(Methods.CLOSE_LAYER_STREAM,
                    params("stream", token)).code());
            RpcError zeroWindow = client.error(Methods.OPEN_LAYER_STREAM, params("layer", layer700.id(),
                    "maxFds", 0));
            assertEquals(ErrorCodes.INVALID_PARAMS, zeroWindow.code());
        }
    }

    @Test
    void pipelinedWindowsOfOneStreamAreServedOneAfterAnother() throws Exception {
        try (JavaClient client = JavaClient.connect(server.socket())) {
            String token;
            try (Response open = client.call(Methods.OPEN_LAYER_STREAM, params("layer", layer5000.id(),
                    "maxFds", 1000))) {
                token = open.result().get("stream").textValue();
            }
            // Two windows pipelined: the second waits until the first has been sent, so both succeed.
            var first = client.callAsync(Methods.READ_LAYER_FILES, params("stream", token, "start", 0,
                    "count", 1000));
            var second = client.callAsync(Methods.READ_LAYER_FILES, params("stream", token, "start", 1000,
                    "count", 1000));
            try (Response a = JavaClient.await(first); Response b = JavaClient.await(second)) {
                assertFalse(a.isError(), () -> String.valueOf(a.error()));
                assertFalse(b.isError(), () -> String.valueOf(b.error()));
                assertEquals(1000, a.fds().size());
                assertEquals(1000, b.result().get("start").intValue());
                assertEquals(1000, b.fds().size());
            }
            assertTrue(client.result(Methods.CLOSE_LAYER_STREAM, params("stream", token)).get("closed")
                    .booleanValue());
        }
    }

    @Test
    void streamSlotsPerConnectionAreBounded() throws Exception {
        try (ServerProcess limited = ServerProcess.start(dir.resolve("limited.sock"), location,
                "--max-streams", "1", "--max-fds-in-flight", "100");
             JavaClient client = JavaClient.connect(limited.socket())) {
            RpcError fds = client.error(Methods.GET_SPLIT_FD_STREAM, params("layerId", layer700.id()));
            assertEquals(ErrorCodes.RESOURCE_LIMIT_REACHED, fds.code());
            assertTrue(fds.message().contains("fds in flight"), fds.message());
            try (Response open = client.call(Methods.OPEN_LAYER_STREAM, params("layer", layer700.id(),
                    "maxFds", 10))) {
                assertFalse(open.isError(), () -> String.valueOf(open.error()));
            }
            RpcError slots = client.error(Methods.OPEN_LAYER_STREAM, params("layer", layer700.id(), "maxFds", 10));
            assertEquals(ErrorCodes.RESOURCE_LIMIT_REACHED, slots.code());
            assertTrue(slots.message().contains("limit 1"), slots.message());
            assertEquals(0, limited.stop(), limited.log());
        }
    }

    /** A raw client that asks for a layer stream and hangs up after reading {@code readBytes} of the response. */
    static void abandon(Path socket, String layerId, int readBytes) throws IOException {
        try (AFUNIXSocket raw = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket))) {
            OutputStream out = raw.getOutputStream();
            out.write(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"GetSplitFDStream\",\"params\":{\"layerId\":\""
                    + layerId + "\"}}").getBytes(StandardCharsets.UTF_8));
            out.flush();
            if (readBytes > 0) {
                InputStream in = raw.getInputStream();
                in.readNBytes(readBytes);
            }
        }
    }

    List<LayerRecord> layers() {
        return List.of(layer700, layer5000);
    }
}
