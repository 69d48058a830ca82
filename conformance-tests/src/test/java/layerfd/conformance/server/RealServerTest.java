package layerfd.conformance.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import layerfd.conformance.report.ConformanceReport;
import layerfd.conformance.support.PeerProcess;
import layerfd.conformance.support.ReferencePeers;
import layerfd.conformance.support.Reports;
import layerfd.conformance.support.StoreLayers;
import layerfd.server.store.LayerRecord;
import layerfd.server.store.StoreLocation;
import layerfd.server.store.Fixtures;
import layerfd.server.testing.ServerProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server runner and the Rust/Go splitfdstream consumers against layerfd's REAL server (a separate process,
 * layerfd.server.ServerMain) on the fixture stores built by scripts/fixtures/build-all.sh: strict, byte-exact
 * against the store's diff-digest and diff-size. Skips with the reason when the fixtures cannot be built here.
 */
class RealServerTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.BASE, Fixtures.BIG})
    void everyCheckPassesStrictlyAgainstTheStoreDigests(String image) throws Exception {
        StoreLocation store = Fixtures.location(Fixtures.ROOT_OVERLAY);
        try (ServerProcess server = ServerProcess.start(dir.resolve("layerfd.sock"), store)) {
            ConformanceReport report = ServerRunner.run(new ServerOptions(server.socket(), image, false,
                    new ExpectationSource.FromStore(StoreLayers.overrides(store))));
            Reports.assertPassedExceptSkips(report, Set.of());
            assertEquals(2 + 4 * StoreLayers.baseFirst(store, image).size() + 4, report.checks().size());
        }
    }

    @Test
    void configDiffIdsAgreeWithTheStoreForTheRealServer() throws Exception {
        StoreLocation store = Fixtures.location(Fixtures.ROOT_OVERLAY);
        try (ServerProcess server = ServerProcess.start(dir.resolve("layerfd.sock"), store)) {
            ConformanceReport report = ServerRunner.run(new ServerOptions(server.socket(), Fixtures.BIG, false,
                    new ExpectationSource.FromConfig()));
            Reports.assertPassedExceptSkips(report, Set.of());
        }
    }

    /** Rust and Go consumers (splitfdstream mode) print each layer's digest and length: the store's, top first. */
    @ParameterizedTest
    @ValueSource(strings = {"rust", "go"})
    void referenceConsumersReassembleEveryLayerByteExact(String language) throws Exception {
        Path peer = language.equals("rust") ? ReferencePeers.rustPeer() : ReferencePeers.goPeer();
        StoreLocation store = Fixtures.location(Fixtures.ROOT_OVERLAY);
        try (ServerProcess server = ServerProcess.start(dir.resolve("layerfd.sock"), store)) {
            PeerProcess.Finished run = PeerProcess.run(List.of(peer.toString(), "splitfdstream", "--socket",
                    server.socket().toString(), "--image", Fixtures.BIG), dir.resolve(language + ".log"), 300);
            assertEquals(0, run.exitCode(), run.output());
            List<String> expected = new ArrayList<>();
            for (LayerRecord layer : StoreLayers.baseFirst(store, Fixtures.BIG).reversed()) {
                expected.add("layer " + layer.id() + " " + layer.diffDigest().orElseThrow() + " " + layer.diffSize());
            }
            List<String> printed = run.output().lines().filter(l -> l.startsWith("layer ")).toList();
            assertEquals(expected, printed, run.output());
            assertTrue(expected.size() >= 1);
        }
    }
}
