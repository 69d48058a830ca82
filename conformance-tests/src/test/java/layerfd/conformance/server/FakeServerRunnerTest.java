package layerfd.conformance.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import layerfd.conformance.report.CheckStatus;
import layerfd.conformance.report.ConformanceReport;
import layerfd.conformance.support.PeerProcess;
import layerfd.conformance.support.ReferencePeers;
import layerfd.conformance.support.Reports;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server runner against the Go peer's fake-splitfd-server, which serves two real tars (PAX and GNU, from
 * make-test-tars.py) byte-exact, but with unsealed, writable memfds: so --lenient matters, and a wrong expected
 * digest must FAIL exactly the byte checks of that layer.
 */
class FakeServerRunnerTest {
    private static final String IMAGE = "localhost/fake:latest";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Path baseTar;
    private Path topTar;

    @BeforeEach
    void writeTars() throws Exception {
        PeerProcess.Finished made = PeerProcess.run(List.of("python3",
                ReferencePeers.peersDirectory().resolve("make-test-tars.py").toString(), dir.toString()),
                dir.resolve("make-test-tars.log"), 60);
        assertEquals(0, made.exitCode(), made.output());
        baseTar = dir.resolve("base.tar");
        topTar = dir.resolve("top.tar");
    }

    private PeerProcess fakeServer(Path socket, String inlineThreshold) throws Exception {
        return PeerProcess.serve(List.of(ReferencePeers.goPeer().toString(), "fake-splitfd-server", "--socket",
                socket.toString(), "--tar", baseTar.toString(), "--tar", topTar.toString(), "--image", IMAGE,
                "--inline-threshold", inlineThreshold), socket);
    }

    @Test
    void lenientRunAgainstConfigDiffIdsPassesAndSkipsOnlyTheSealAndReadOnlyChecks() throws Exception {
        Path socket = dir.resolve("fake.sock");
        try (PeerProcess server = fakeServer(socket, "4096")) {
            ConformanceReport report = ServerRunner.run(new ServerOptions(socket, IMAGE, true,
                    new ExpectationSource.FromConfig()));
            Set<String> skips = new TreeSet<>();
            for (String name : report.checks().stream().map(c -> c.name()).toList()) {
                if (name.startsWith("stream_sealed[") || name.startsWith("content_fds_read_only[")) {
                    skips.add(name);
                }
            }
            assertEquals(4, skips.size(), report.toJson().toPrettyString());
            Reports.assertPassedExceptSkips(report, skips);
            assertTrue(report.checks().stream().filter(c -> c.status() == CheckStatus.SKIP)
                    .allMatch(c -> c.detail().endsWith("(tolerated by --lenient)")));
        }
    }

    @Test
    void strictRunFailsTheUnsealedStreamAndWritableContentFds() throws Exception {
        Path socket = dir.resolve("fake.sock");
        try (PeerProcess server = fakeServer(socket, "4096")) {
            ConformanceReport report = ServerRunner.run(new ServerOptions(socket, IMAGE, false,
                    new ExpectationSource.FromConfig()));
            TreeSet<String> failed = Reports.names(report, CheckStatus.FAIL);
            assertEquals(4, failed.size(), report.toJson().toPrettyString());
            assertTrue(failed.stream().allMatch(n -> n.startsWith("stream_sealed[")
                    || n.startsWith("content_fds_read_only[")), failed.toString());
            assertTrue(report.checks().stream().filter(c -> c.name().startsWith("stream_sealed["))
                    .allMatch(c -> c.detail().startsWith("not sealed")));
        }
    }

    @Test
    void expectFileWithDigestsAndSizesPassesAtInlineThresholdZero() throws Exception {
        Path socket = dir.resolve("fake.sock");
        try (PeerProcess server = fakeServer(socket, "0")) {
            List<String> layers = topFirstLayers(socket);
            Path expect = writeExpect(layers, sha256(topTar), sha256(baseTar));
            ConformanceReport report = ServerRunner.run(new ServerOptions(socket, IMAGE, true,
                    new ExpectationSource.ExpectFile(expect)));
            assertEquals(0, report.failed(), report.toJson().toPrettyString());
        }
    }

    @Test
    void aWrongExpectedDigestFailsBothByteChecksOfThatLayerOnly() throws Exception {
        Path socket = dir.resolve("fake.sock");
        try (PeerProcess server = fakeServer(socket, "4096")) {
            List<String> layers = topFirstLayers(socket);
            Path expect = writeExpect(layers, sha256(baseTar), sha256(baseTar));
            ConformanceReport report = ServerRunner.run(new ServerOptions(socket, IMAGE, true,
                    new ExpectationSource.ExpectFile(expect)));
            String top = "[" + layers.getFirst().substring(0, 12) + "]";
            assertEquals(new TreeSet<>(Set.of("get_split_fd_stream" + top, "get_layer_splitfdstream" + top)),
                    Reports.names(report, CheckStatus.FAIL), report.toJson().toPrettyString());
            assertTrue(report.check("get_split_fd_stream" + top).detail().startsWith("sha256 of the reassembled tar"));
        }
    }

    /** The layer ids, read with the runner itself (GetImage is its first check). */
    private static List<String> topFirstLayers(Path socket) throws Exception {
        layerfd.conformance.server.internal.ServerChecks checks = new layerfd.conformance.server.internal.ServerChecks(
                new ServerOptions(socket, IMAGE, true, new ExpectationSource.FromConfig()));
        checks.getImage();
        assertEquals(2, checks.layers().size());
        return checks.layers();
    }

    private Path writeExpect(List<String> topFirst, String[] top, String[] base) throws Exception {
        ObjectNode root = JSON.createObjectNode();
        root.putObject(topFirst.get(0)).put("digest", top[0]).put("size", Long.parseLong(top[1]));
        root.putObject(topFirst.get(1)).put("digest", base[0]).put("size", Long.parseLong(base[1]));
        Path file = dir.resolve("expect.json");
        Files.writeString(file, root.toPrettyString());
        return file;
    }

    private static String[] sha256(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        return new String[] {"sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
                Long.toString(bytes.length)};
    }
}
