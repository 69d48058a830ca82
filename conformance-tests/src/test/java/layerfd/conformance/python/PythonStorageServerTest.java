package layerfd.conformance.python;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import layerfd.conformance.report.CheckStatus;
import layerfd.conformance.report.ConformanceReport;
import layerfd.conformance.server.ExpectationSource;
import layerfd.conformance.server.ServerOptions;
import layerfd.conformance.server.ServerRunner;
import layerfd.conformance.support.PeerProcess;
import layerfd.conformance.support.PythonPeers;
import layerfd.conformance.support.Reports;
import layerfd.conformance.support.StoreLayers;
import layerfd.server.store.Fixtures;
import layerfd.server.store.LayerRecord;
import layerfd.server.store.StoreLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * layerfd's server runner against {@code storage_server.py}, the Python server of the compatible methods, reading
 * the real fixture stores (read only, under shared locks): strict, byte-exact against each layer's diff-digest and
 * diff-size as layerfd's store reader sees them.
 */
class PythonStorageServerTest {
    /** get_image, expected_digests; four per layer; compressed_refused, unknown_layer, unknown_image, no_fd_leak. */
    private static final int FIXED_CHECKS = 6;
    private static final int CHECKS_PER_LAYER = 4;
    private static final int SHORT_ID_CHARS = 12;

    @TempDir
    Path dir;

    private PeerProcess startPythonServer(StoreLocation store) throws Exception {
        Path socket = dir.resolve("python-storage.sock");
        return PeerProcess.serve(PythonPeers.command("storage_server.py", "--socket", socket.toString(),
                "--root", store.graphRoot().toString(), "--driver", store.driver()), socket);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("layerfd.conformance.support.StoreLayers#fixtureImages")
    void theServerRunnerPassesEveryCheckStrictlyAgainstThePythonServer(String storeName, String image)
            throws Exception {
        StoreLocation store = Fixtures.location(storeName);
        List<LayerRecord> layers = StoreLayers.baseFirst(store, image);
        try (PeerProcess python = startPythonServer(store)) {
            ConformanceReport report = ServerRunner.run(new ServerOptions(dir.resolve("python-storage.sock"), image,
                    false, new ExpectationSource.FromStore(StoreLayers.overrides(store))));
            Reports.assertPassedExceptSkips(report, Set.of());
            assertEquals(FIXED_CHECKS + CHECKS_PER_LAYER * layers.size(), report.checks().size());
        }
    }

    /** The runner can fail the Python server: a wrong expected digest fails exactly that layer's two byte checks. */
    @Test
    void aWrongExpectedDigestFailsExactlyThatLayersByteChecks() throws Exception {
        StoreLocation store = Fixtures.location(Fixtures.ROOT_OVERLAY);
        List<LayerRecord> layers = StoreLayers.baseFirst(store, Fixtures.BASE);
        ObjectNode expect = new ObjectMapper().createObjectNode();
        for (LayerRecord layer : layers) {
            expect.putObject(layer.id()).put("digest", layer.diffDigest().orElseThrow());
        }
        String wrong = layers.getFirst().id();
        expect.putObject(wrong).put("digest", "sha256:" + "0".repeat(64));
        Path file = dir.resolve("expect.json");
        new ObjectMapper().writeValue(file.toFile(), expect);
        try (PeerProcess python = startPythonServer(store)) {
            ConformanceReport report = ServerRunner.run(new ServerOptions(dir.resolve("python-storage.sock"),
                    Fixtures.BASE, false, new ExpectationSource.ExpectFile(file)));
            String tag = "[" + wrong.substring(0, SHORT_ID_CHARS) + "]";
            assertEquals(new TreeSet<>(Set.of("get_split_fd_stream" + tag, "get_layer_splitfdstream" + tag)),
                    Reports.names(report, CheckStatus.FAIL), report.closingLine());
        }
    }
}
