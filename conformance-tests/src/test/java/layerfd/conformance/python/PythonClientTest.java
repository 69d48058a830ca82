package layerfd.conformance.python;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import layerfd.conformance.support.PeerProcess;
import layerfd.conformance.support.PythonPeers;
import layerfd.conformance.support.StoreLayers;
import layerfd.server.store.Fixtures;
import layerfd.server.store.LayerRecord;
import layerfd.server.store.StoreLocation;
import layerfd.server.testing.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code layerfd_client.py image}, the Python consumer of the compatible methods (the one the containerized
 * consumer runs), against layerfd's real server process on the fixture stores and against the Python server:
 * every layer, top first, through both stream methods, byte-exact against the store's diff-digest and diff-size.
 */
class PythonClientTest {
    private static final long CLIENT_SECONDS = 300;
    private static final int SHORT_ID_CHARS = 12;

    @TempDir
    Path dir;

    /** The PASS lines the client must print, in order; content fd counts are the server's choice. */
    private static List<String> expectedPasses(StoreLocation store, String image) throws Exception {
        List<LayerRecord> layers = StoreLayers.baseFirst(store, image).reversed();
        List<String> lines = new ArrayList<>(List.of("PASS get_image: " + layers.size() + " layers"));
        for (LayerRecord layer : layers) {
            String tag = "[" + layer.id().substring(0, SHORT_ID_CHARS) + "]: ";
            String bytes = layer.diffDigest().orElseThrow() + " " + layer.diffSize() + " bytes, ";
            lines.add("PASS get_split_fd_stream" + tag + bytes);
            lines.add("PASS get_layer_splitfdstream" + tag + bytes);
        }
        lines.add("PASS no_fd_leak");
        return lines;
    }

    private PeerProcess.Finished runClient(Path socket, String image) throws Exception {
        return PeerProcess.run(PythonPeers.command("layerfd_client.py", "--socket", socket.toString(), "image",
                image), dir.resolve("client.log"), CLIENT_SECONDS);
    }

    private static void assertEveryLayerPassed(List<String> expected, PeerProcess.Finished run) {
        assertEquals(0, run.exitCode(), run.output());
        List<String> lines = PythonPeers.checkLines(run.output());
        assertEquals(expected.size(), lines.size(), run.output());
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(lines.get(i).startsWith(expected.get(i)), lines.get(i) + "\nexpected " + expected.get(i));
        }
        assertArrayEquals(new int[] {expected.size(), 0}, PythonPeers.closingCounts(run.output()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("layerfd.conformance.support.StoreLayers#fixtureImages")
    void thePythonClientReassemblesEveryLayerFromTheJavaServer(String storeName, String image) throws Exception {
        StoreLocation store = Fixtures.location(storeName);
        List<String> expected = expectedPasses(store, image);
        try (ServerProcess server = ServerProcess.start(dir.resolve("layerfd.sock"), store)) {
            PeerProcess.Finished warmUp = runClient(server.socket(), image);
            assertEveryLayerPassed(expected, warmUp);
            int fdsBefore = server.openFds();
            assertEveryLayerPassed(expected, runClient(server.socket(), image));
            assertEquals(fdsBefore, server.settleFds(fdsBefore), "the server closed every fd it sent");
        }
    }

    @Test
    void thePythonClientReassemblesEveryLayerFromThePythonServer() throws Exception {
        StoreLocation store = Fixtures.location(Fixtures.ROOT_OVERLAY);
        Path socket = dir.resolve("python-storage.sock");
        try (PeerProcess python = PeerProcess.serve(PythonPeers.command("storage_server.py", "--socket",
                socket.toString(), "--root", store.graphRoot().toString(), "--driver", store.driver()), socket)) {
            assertEveryLayerPassed(expectedPasses(store, Fixtures.BASE), runClient(socket, Fixtures.BASE));
        }
    }

    @Test
    void anUnknownImageFailsWithTheServersCodeAndMessage() throws Exception {
        StoreLocation store = Fixtures.location(Fixtures.ROOT_OVERLAY);
        try (ServerProcess server = ServerProcess.start(dir.resolve("layerfd.sock"), store)) {
            PeerProcess.Finished run = runClient(server.socket(), "localhost/no/such:image");
            assertEquals(1, run.exitCode(), run.output());
            List<String> lines = PythonPeers.checkLines(run.output());
            assertTrue(lines.getFirst().startsWith("FAIL get_image: code -32001: "), run.output());
            assertEquals(List.of("PASS no_fd_leak"), lines.subList(1, lines.size()), run.output());
            assertArrayEquals(new int[] {1, 1}, PythonPeers.closingCounts(run.output()));
        }
    }
}
