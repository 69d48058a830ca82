package layerfd.conformance.transport;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import layerfd.conformance.report.ConformanceReport;
import layerfd.conformance.support.PeerProcess;
import layerfd.conformance.support.ReferencePeers;
import layerfd.conformance.support.Reports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transport runner against the upstream implementations as servers: the Rust crate's peer (strict), the Go
 * module's peer and the Go module's own example echo server (with --peer-quirks go). Each is a separate process;
 * a peer that cannot be built here is a skip that says why.
 */
class ReferencePeerTransportTest {
    /** What Go's float64 ids and omitted nil result make impossible (brief §11), SKIPped with the reason. */
    private static final Set<String> GO_QUIRK_SKIPS = Set.of("echo_large_int_id", "echo_absent_params",
            "echo_null_params");
    /** The upstream example server implements only echo, readFile and createPipe. */
    private static final Set<String> EXAMPLE_SKIPS = Set.of("echo_large_int_id", "echo_absent_params",
            "echo_null_params", "fd_count_300", "echo_fds_300");

    @TempDir
    Path dir;

    @Test
    void rustPeerServerPassesEveryCheckStrictly() throws Exception {
        Path socket = dir.resolve("rust.sock");
        try (PeerProcess peer = PeerProcess.serve(List.of(ReferencePeers.rustPeer().toString(), "server", "--socket",
                socket.toString()), socket)) {
            Reports.assertPassedExceptSkips(TransportRunner.run(TransportOptions.of(socket)), Set.of());
        }
    }

    @Test
    void rustPeerServerPassesWithEightFdsPerSendmsg() throws Exception {
        Path socket = dir.resolve("rust.sock");
        try (PeerProcess peer = PeerProcess.serve(List.of(ReferencePeers.rustPeer().toString(), "server", "--socket",
                socket.toString()), socket)) {
            ConformanceReport report = TransportRunner.run(TransportOptions.of(socket).withMaxFdsPerSendmsg(8));
            Reports.assertPassedExceptSkips(report, Set.of());
        }
    }

    @Test
    void goPeerServerPassesWithGoQuirks() throws Exception {
        Path socket = dir.resolve("go.sock");
        try (PeerProcess peer = PeerProcess.serve(List.of(ReferencePeers.goPeer().toString(), "server", "--socket",
                socket.toString()), socket)) {
            ConformanceReport report = TransportRunner.run(TransportOptions.of(socket).withQuirks(PeerQuirks.GO));
            Reports.assertPassedExceptSkips(report, GO_QUIRK_SKIPS);
        }
    }

    @Test
    void goPeerServerPassesWithGoQuirksAndEightFdsPerSendmsg() throws Exception {
        Path socket = dir.resolve("go.sock");
        try (PeerProcess peer = PeerProcess.serve(List.of(ReferencePeers.goPeer().toString(), "server", "--socket",
                socket.toString()), socket)) {
            ConformanceReport report = TransportRunner.run(TransportOptions.of(socket).withQuirks(PeerQuirks.GO)
                    .withMaxFdsPerSendmsg(8));
            Reports.assertPassedExceptSkips(report, GO_QUIRK_SKIPS);
        }
    }

    /** Without the quirk option the Go peer's float64 ids and omitted null result are FAILs: strict by default. */
    @Test
    void goPeerServerFailsTheQuirkChecksWhenStrict() throws Exception {
        Path socket = dir.resolve("go.sock");
        try (PeerProcess peer = PeerProcess.serve(List.of(ReferencePeers.goPeer().toString(), "server", "--socket",
                socket.toString()), socket)) {
            ConformanceReport report = TransportRunner.run(TransportOptions.of(socket));
            org.junit.jupiter.api.Assertions.assertEquals(new java.util.TreeSet<>(GO_QUIRK_SKIPS),
                    Reports.names(report, layerfd.conformance.report.CheckStatus.FAIL), report.closingLine());
        }
    }

    @Test
    void goModuleExampleEchoServerPassesItsThreeMethods() throws Exception {
        Path socket = dir.resolve("example.sock");
        try (PeerProcess peer = PeerProcess.serve(List.of(ReferencePeers.goExampleEchoServer().toString(), "server",
                socket.toString()), socket)) {
            ConformanceReport report = TransportRunner.run(TransportOptions.of(socket).withQuirks(PeerQuirks.GO));
            Reports.assertPassedExceptSkips(report, EXAMPLE_SKIPS);
        }
    }
}
