package layerfd.conformance.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import layerfd.conformance.internal.PeerConnection;
import layerfd.protocol.fdpass.FdpassOptions;
import layerfd.protocol.jsonrpc.Response;
import layerfd.server.store.Fixtures;
import layerfd.server.store.LayerRecord;
import layerfd.server.store.Store;
import layerfd.server.store.StoreLocation;
import layerfd.server.store.StoreSnapshot;
import layerfd.server.testing.ServerProcess;
import layerfd.testing.OpenFds;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame.OutputType;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * layerfd's Python client runs inside a container (Testcontainers against podman's API service, scripts/test starts
 * it), reaches the REAL Java server on the host through a bind-mounted socket directory, and rebuilds every layer
 * of a fixture image from the fds it receives across the container boundary. The host checks each rebuilt tar
 * against the store's diff-digest and diff-size (api-contract §3.3, byte-exact dialect), compares one content fd and
 * one stream memfd read inside the container with the same fds received on the host (content and file identity),
 * and checks that the server's fd count returns to where it was.
 */
class ContainerizedConsumerTest {
    /** The Python peer's directory, relative to the repository root (docs/peers.md, "Python"). */
    static final Path PYTHON_PEER_DIR = Path.of("conformance-tests/peers/python");
    /**
     * The client run in the container and the modules it imports (all stdlib-only). It is used through its command
     * line ({@code --socket P call METHOD PARAMS}, {@code --socket P reassemble LAYER}) and its {@code Client.call}.
     */
    static final List<String> PYTHON_CLIENT_FILES = List.of("layerfd_client.py", "fdpass.py", "rpc.py",
            "image_check.py");
    /** The program the container runs (repository root relative): drives the client, prints one JSON report. */
    static final Path CONSUMER = Path.of("conformance-tests/container/consumer.py");
    static final String IN_CONTAINER_DIR = "/layerfd";
    /** Where the host's socket directory appears inside the container. */
    static final String SOCKET_DIR_IN_CONTAINER = "/run/layerfd";
    static final String SOCKET_NAME = "layerfd.sock";
    /** Python starts about a dozen times (one client run per layer); a loaded 2-core machine is slow. */
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** BASE has three layers of small files (mostly inline), BIG one layer with a 100 MiB file (external). */
    @ParameterizedTest
    @ValueSource(strings = {Fixtures.BASE, Fixtures.BIG})
    void pythonClientInAContainerRebuildsEveryLayerFromFdsPassedAcrossTheContainerBoundary(String fixtureImage)
            throws Exception {
        ContainerService.assumeAvailable();
        StoreLocation store = Fixtures.location(Fixtures.ROOT_OVERLAY);
        String image = ConsumerImage.ensureBuilt();
        Path socketDir = Files.createDirectory(dir.resolve("socket"));
        List<LayerRecord> topFirst = layersTopFirst(store, fixtureImage);
        try (ServerProcess server = ServerProcess.start(socketDir.resolve(SOCKET_NAME), store)) {
            // The first request opens what the server then keeps (store state, worker threads): baseline after it.
            hostView(server.socket(), topFirst.getFirst().id()).close();
            int serverBaseline = server.settleFds(0);
            JsonNode report = runConsumer(image, socketDir, fixtureImage);
            // Kept in the surefire output file: what the container saw, for reading a failure.
            System.out.println("consumer report: " + report);

            // Container root is host root under rootful podman: the server's default SO_PEERCRED policy admits it.
            assertEquals(0, report.get("uid").asInt(), report.toString());
            // PID 1 of its own PID namespace: the client really ran in the container, not on the host.
            assertEquals(1, report.get("pid").asInt(), report.toString());
            assertEquals(0, report.get("get_image_fds").asInt(), "GetImage carries no fds: " + report);
            JsonNode layers = report.get("layers");
            assertEquals(topFirst.size(), layers.size(), report.toString());
            for (int i = 0; i < topFirst.size(); i++) {
                LayerRecord expected = topFirst.get(i);
                JsonNode rebuilt = layers.get(i);
                assertEquals(expected.id(), rebuilt.get("id").asText(), "layer order, top first");
                assertEquals(expected.diffDigest().orElseThrow(), rebuilt.get("sha256").asText(),
                        "layer " + expected.id() + " rebuilt in the container");
                assertEquals(expected.diffSize(), rebuilt.get("length").asLong(), "layer " + expected.id());
                assertTrue(rebuilt.get("fds").asInt() >= 1, "at least the stream memfd: " + rebuilt);
                assertFalse(rebuilt.get("content_writable").asBoolean(), "content fds are read-only: " + rebuilt);
            }

            compareWithHost(server.socket(), report.get("probe"));
            assertEquals(serverBaseline, server.settleFds(serverBaseline),
                    "the server closed every fd it sent into the container and to the host");
        }
    }

    /** The same request from the host: the container read the same stream bytes and the very same content file. */
    private static void compareWithHost(Path socket, JsonNode probe) throws Exception {
        String layer = probe.get("layer").asText();
        var before = OpenFds.snapshot();
        try (Response response = hostView(socket, layer)) {
            assertEquals(response.fds().size(), probe.get("fds").asInt(), "fd count for layer " + layer);
            assertEquals(response.result(), probe.get("result"), "GetSplitFDStream result for layer " + layer);
            HostFdView stream = HostFdView.of(response.fds().get(0));
            assertEquals(stream.sha256(), probe.at("/stream/sha256").asText(), "stream memfd read in the container");
            assertEquals(stream.length(), probe.at("/stream/length").asLong(), "stream memfd length in the container");
            HostFdView content = HostFdView.of(response.fds().get(1));
            JsonNode seen = probe.get("content");
            assertEquals(content, new HostFdView(seen.get("sha256").asText(), seen.get("length").asLong(),
                    seen.get("dev_major").asLong(), seen.get("dev_minor").asLong(), seen.get("inode").asLong()),
                    "first content fd: container view vs host view (" + seen + ")");
            assertTrue(content.length() > 0, "a content fd holds a non-empty file");
        }
        OpenFds.assertNoneNew(before, "host probe of layer " + layer);
    }

    /** GetSplitFDStream of {@code layer} from the host, on a connection of its own (closed before this returns). */
    private static Response hostView(Path socket, String layer) throws Exception {
        try (PeerConnection connection = PeerConnection.open(socket, FdpassOptions.defaults())) {
            return connection.callForResult("GetSplitFDStream", JSON.createObjectNode().put("layerId", layer),
                    List.of());
        }
    }

    private static JsonNode runConsumer(String image, Path socketDir, String fixtureImage) throws Exception {
        Path root = Fixtures.repositoryRoot();
        String client = IN_CONTAINER_DIR + "/" + PYTHON_CLIENT_FILES.getFirst();
        String consumer = IN_CONTAINER_DIR + "/consumer.py";
        try (GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image))
                // No network: the socket is a file in the bind mount; this also keeps netavark out of the run.
                .withNetworkMode("none")
                .withFileSystemBind(socketDir.toString(), SOCKET_DIR_IN_CONTAINER, BindMode.READ_WRITE)
                .withCopyFileToContainer(MountableFile.forHostPath(root.resolve(CONSUMER)), consumer)
                .withCommand("/usr/bin/python3", consumer, "--client", client, "--socket",
                        SOCKET_DIR_IN_CONTAINER + "/" + SOCKET_NAME, "--image", fixtureImage)
                .withStartupCheckStrategy(new RunToExit().withTimeout(RUN_TIMEOUT))) {
            for (String file : PYTHON_CLIENT_FILES) {
                container.withCopyFileToContainer(
                        MountableFile.forHostPath(root.resolve(PYTHON_PEER_DIR).resolve(file)),
                        IN_CONTAINER_DIR + "/" + file);
            }
            container.start();
            long status = DockerClientFactory.instance().client().inspectContainerCmd(container.getContainerId())
                    .exec().getState().getExitCodeLong();
            if (status != 0) {
                fail("the consumer in " + image + " exited with " + status + "; its output:\n" + container.getLogs());
            }
            return JSON.readTree(container.getLogs(OutputType.STDOUT));
        }
    }

    private static List<LayerRecord> layersTopFirst(StoreLocation store, String image) throws Exception {
        try (StoreSnapshot snapshot = Store.open(store).readLocked()) {
            return new ArrayList<>(snapshot.imageLayers(snapshot.resolveImage(image))).reversed();
        }
    }
}
