package layerfd.server;

import static layerfd.server.testing.JavaClient.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import layerfd.linux.Fcntl;
import layerfd.linux.MemFd;
import layerfd.linux.OwnedFd;
import layerfd.protocol.Methods;
import layerfd.protocol.jsonrpc.ErrorCodes;
import layerfd.protocol.jsonrpc.Response;
import layerfd.protocol.jsonrpc.RpcError;
import layerfd.protocol.splitfdstream.SplitFdStreamFormat;
import layerfd.server.store.Fixtures;
import layerfd.server.store.ImageRecord;
import layerfd.server.store.LayerRecord;
import layerfd.server.store.Store;
import layerfd.server.store.StoreLocation;
import layerfd.server.store.StoreSnapshot;
import layerfd.server.testing.JavaClient;
import layerfd.server.testing.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every method's success and error paths against a real server process serving the root/overlay fixture store
 * (built by podman's own tools), with the store module's records as the expectation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerMethodsTest {
    /** More than one sendmsg batch, so the server receives them in several reads. */
    private static final int SENT_FDS = 300;
    private StoreLocation location;
    private ServerProcess server;
    private JavaClient client;
    private ImageRecord base;
    private List<LayerRecord> baseLayers;

    @BeforeAll
    void startServer(@TempDir Path dir) throws IOException {
        location = Fixtures.location(Fixtures.ROOT_OVERLAY);
        try (StoreSnapshot s = Store.open(location).readLocked()) {
            base = s.resolveImage(Fixtures.BASE);
            baseLayers = s.imageLayers(base);
        }
        server = ServerProcess.start(dir.resolve("layerfd.sock"), location);
        client = JavaClient.connect(server.socket());
    }

    @AfterAll
    void stopServer() throws Exception {
        client.close();
        assertEquals(0, server.stop(), server.log());
        assertFalse(Files.exists(server.socket()), "socket file removed at shutdown");
        server.close();
    }

    @Test
    void initializeReportsVersionFeaturesAndStore() throws Exception {
        JsonNode result = client.result(Methods.INITIALIZE, params());
        assertEquals(Methods.PROTOCOL_VERSION, result.get("protocolVersion").intValue());
        assertTrue(result.get("version").isTextual());
        List<String> features = new ArrayList<>();
        result.get("features").forEach(f -> features.add(f.textValue()));
        assertEquals(Methods.ALL, features);
        JsonNode store = result.get("store");
        assertEquals(location.graphRoot().toString(), store.get("graphRoot").textValue());
        assertEquals(location.runRoot().toString(), store.get("runRoot").textValue());
        assertEquals("overlay", store.get("driver").textValue());
        assertFalse(store.get("rootless").booleanValue());
        assertFalse(store.get("helper").booleanValue());
    }

    @Test
    void listImagesListsEveryImageOfTheStore() throws Exception {
        JsonNode images = client.result(Methods.LIST_IMAGES, params()).get("images");
        List<ImageRecord> expected;
        try (StoreSnapshot s = Store.open(location).readLocked()) {
            expected = s.images();
        }
        assertEquals(expected.size(), images.size());
        JsonNode first = images.get(0);
        assertEquals(expected.getFirst().id(), first.get("id").textValue());
        assertEquals(expected.getFirst().digest().orElseThrow(), first.get("digest").textValue());
        assertEquals(expected.getFirst().layer().orElseThrow(), first.get("topLayer").textValue());
        assertEquals(expected.getFirst().created().orElseThrow().toString(), first.get("created").textValue());
        assertEquals(expected.getFirst().names().getFirst(), first.get("names").get(0).textValue());
    }

    @Test
    void inspectImageGivesLayersBaseFirstWithStoredManifestAndConfig() throws Exception {
        JsonNode result = client.result(Methods.INSPECT_IMAGE, params("image", Fixtures.BASE));
        assertEquals(base.id(), result.get("id").textValue());
        assertEquals(base.digest().orElseThrow(), result.get("digest").textValue());
        assertEquals(base.digest().orElseThrow(), sha256(result.get("manifest").textValue()),
                "manifest bytes unchanged: their digest is the image digest");
        assertEquals(result.get("configDigest").textValue(), sha256(result.get("config").textValue()),
                "config bytes unchanged: their digest is the manifest's config digest");
        JsonNode layers = result.get("layers");
        assertEquals(baseLayers.size(), layers.size());
        for (int i = 0; i < baseLayers.size(); i++) {
            LayerRecord expected = baseLayers.get(i);
            assertEquals(expected.id(), layers.get(i).get("id").textValue());
            assertEquals(expected.diffDigest().orElseThrow(), layers.get(i).get("diffDigest").textValue());
            assertEquals(expected.diffSize(), layers.get(i).get("diffSize").longValue());
        }
        assertTrue(layers.get(0).get("parent").isNull(), "the first layer is the base layer");
    }

    @Test
    void getImageGivesLayerIdsTopFirstForIdNameAndDigest() throws Exception {
        List<String> topFirst = baseLayers.reversed().stream().map(LayerRecord::id).toList();
        for (String reference : List.of(base.id(), base.id().substring(0, 12), Fixtures.BASE,
                base.digest().orElseThrow())) {
            JsonNode result = client.result(Methods.GET_IMAGE, params("imageId", reference));
            List<String> ids = new ArrayList<>();
            result.get("layerDigests").forEach(id -> ids.add(id.textValue()));
            assertEquals(topFirst, ids, "layerDigests for " + reference);
            assertEquals(base.digest().orElseThrow(), sha256(result.get("manifest").textValue()));
            assertTrue(result.get("config").textValue().contains("\"diff_ids\""));
        }
    }

    @Test
    void imageErrorsNameWhatAndKeepTheConnectionOpen() throws Exception {
        RpcError missing = client.error(Methods.GET_IMAGE, params());
        assertEquals(ErrorCodes.INVALID_PARAMS, missing.code());
        assertTrue(missing.message().contains("imageId"), missing.message());
        RpcError unknown = client.error(Methods.GET_IMAGE, params("imageId", "localhost/nope:1"));
        assertEquals(ErrorCodes.IMAGE_NOT_FOUND, unknown.code());
        assertTrue(unknown.message().contains("localhost/nope:1"), unknown.message());
        RpcError ambiguous = client.error(Methods.INSPECT_IMAGE, params("image", ambiguousPrefix()));
        assertEquals(ErrorCodes.AMBIGUOUS_ID_PREFIX, ambiguous.code());
        RpcError notObject = client.error(Methods.GET_IMAGE, JavaClient.JSON.createArrayNode().add("x"));
        assertEquals(ErrorCodes.INVALID_PARAMS, notObject.code());
        RpcError noMethod = client.error("NoSuchMethod", params());
        assertEquals(ErrorCodes.METHOD_NOT_FOUND, noMethod.code());
        assertTrue(noMethod.message().contains("NoSuchMethod"));
        assertTrue(client.isOpen(), "request errors never close the connection");
        assertEquals(base.id(), client.result(Methods.INSPECT_IMAGE, params("image", Fixtures.BASE)).get("id")
                .textValue());
    }

    @Test
    void getSplitFdStreamRebuildsEveryBaseLayerByteExact() throws Exception {
        for (LayerRecord layer : baseLayers) {
            try (Response response = client.call(Methods.GET_SPLIT_FD_STREAM, params("layerId", layer.id()))) {
                assertFalse(response.isError(), () -> String.valueOf(response.error()));
                List<OwnedFd> fds = response.fds();
                OwnedFd stream = fds.getFirst();
                assertEquals(MemFd.IMMUTABLE_SEALS, Fcntl.seals(stream.get()) & MemFd.IMMUTABLE_SEALS,
                        "memfd sealed against write, shrink, grow");
                assertEquals("/memfd:splitfdstream (deleted)",
                        Files.readSymbolicLink(Path.of("/proc/self/fd/" + stream.get())).toString());
                assertEquals(Files.size(Path.of("/proc/self/fd/" + stream.get())),
                        response.result().get("streamSize").longValue());
                for (OwnedFd content : fds.subList(1, fds.size())) {
                    assertEquals(Fcntl.O_RDONLY, Fcntl.accessMode(content.get()), "content fds are read-only");
                }
                JavaClient.Reassembled tar = JavaClient.reassemble(fds);
                assertEquals(layer.diffDigest().orElseThrow(), tar.sha256(), "layer " + layer.id());
                assertEquals(layer.diffSize(), tar.length());
            }
        }
    }

    @Test
    void getSplitFdStreamChecksParentId() throws Exception {
        LayerRecord top = baseLayers.getLast();
        String parent = top.parent().orElseThrow();
        try (Response ok = client.call(Methods.GET_SPLIT_FD_STREAM, params("layerId", top.id(), "parentId", parent))) {
            assertFalse(ok.isError());
        }
        RpcError wrong = client.error(Methods.GET_SPLIT_FD_STREAM, params("layerId", top.id(),
                "parentId", top.id()));
        assertEquals(ErrorCodes.INVALID_PARAMS, wrong.code());
        assertTrue(wrong.message().contains(top.id()) && wrong.message().contains(parent), wrong.message());
    }

    @Test
    void layerErrorsAreTheContractsCodes() throws Exception {
        RpcError missing = client.error(Methods.GET_SPLIT_FD_STREAM, params());
        assertEquals(ErrorCodes.INVALID_PARAMS, missing.code());
        assertTrue(missing.message().contains("layerId"));
        String absent = "0".repeat(64);
        RpcError unknown = client.error(Methods.GET_SPLIT_FD_STREAM, params("layerId", absent));
        assertEquals(ErrorCodes.LAYER_NOT_FOUND, unknown.code());
        assertTrue(unknown.message().contains(absent), unknown.message());
        RpcError prefix = client.error(Methods.GET_LAYER_SPLITFDSTREAM,
                params("layer", baseLayers.getFirst().id().substring(0, 12)));
        assertEquals(ErrorCodes.LAYER_NOT_FOUND, prefix.code(), "layers are named by exact id only");
        RpcError compressed = client.error(Methods.GET_LAYER_SPLITFDSTREAM,
                params("layer", baseLayers.getFirst().id(), "compressed", true));
        assertEquals(ErrorCodes.INVALID_PARAMS, compressed.code());
    }

    @Test
    void getLayerSplitfdstreamAnswersWithTheMediaTypeAndTheSameStream() throws Exception {
        LayerRecord layer = baseLayers.getFirst();
        try (Response response = client.call(Methods.GET_LAYER_SPLITFDSTREAM,
                params("layer", layer.id(), "compressed", false, "unknownExtra", 1))) {
            assertFalse(response.isError(), () -> String.valueOf(response.error()));
            assertEquals(SplitFdStreamFormat.MEDIA_TYPE, response.result().get("mediaType").textValue());
            assertEquals(layer.diffDigest().orElseThrow(), JavaClient.reassemble(response.fds()).sha256());
        }
    }

    @Test
    void fdsSentToTheServerAreClosedAtOnce() throws Exception {
        int baseline = server.settleFds(0);
        List<OwnedFd> sent = new ArrayList<>();
        for (int i = 0; i < SENT_FDS; i++) {
            sent.add(MemFd.create("sent-to-server"));
        }
        try (Response response = JavaClient.await(client.callAsync(Methods.INITIALIZE, params(), sent))) {
            assertFalse(response.isError(), () -> String.valueOf(response.error()));
        }
        assertEquals(baseline, server.settleFds(baseline), "the server keeps none of the fds it was sent");
    }

    @Test
    void everyRequestIsLoggedOnceWithMethodIdDurationAndFds() throws Exception {
        LayerRecord layer = baseLayers.getFirst();
        try (Response response = client.call(Methods.GET_SPLIT_FD_STREAM, params("layerId", layer.id()))) {
            assertFalse(response.isError());
            String marker = " method=GetSplitFDStream id=" + response.id() + " ";
            List<String> lines = awaitRequestLines(marker);
            assertEquals(1, lines.size(), lines.toString());
            String line = lines.getFirst();
            assertTrue(line.contains(" fds=" + response.fds().size() + " ") && line.contains(" outcome=ok")
                    && line.matches(".* ms=\\d+ .*"), line);
        }
    }

    /** The request log lines containing {@code marker}, waiting for the first (it is written after the send). */
    private List<String> awaitRequestLines(String marker) throws InterruptedException {
        for (int i = 0; i < 250; i++) {
            List<String> lines = server.events("request").stream().filter(l -> l.contains(marker)).toList();
            if (!lines.isEmpty()) {
                return lines;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no request log line with '" + marker + "':\n" + server.log());
    }

    private String ambiguousPrefix() throws IOException {
        try (StoreSnapshot s = Store.open(location).readLocked()) {
            // make-oci.py makes 17 prefix images so that two ids share a first hex digit.
            List<String> ids = s.images().stream().map(ImageRecord::id).toList();
            for (String id : ids) {
                String prefix = id.substring(0, 1);
                if (ids.stream().filter(other -> other.startsWith(prefix)).count() > 1) {
                    return prefix;
                }
            }
        }
        throw new IllegalStateException("fixture has no shared id prefix");
    }

    static String sha256(String text) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
