package layerfd.conformance.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.NullNode;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import layerfd.conformance.peer.TestPeerServer;
import layerfd.conformance.report.CheckStatus;
import layerfd.conformance.report.ConformanceReport;
import layerfd.conformance.support.Reports;
import layerfd.protocol.fdpass.FdpassOptions;
import layerfd.protocol.fdpass.FdpassServerSocket;
import layerfd.protocol.fdpass.FdpassSocket;
import layerfd.protocol.jsonrpc.JsonRpcConnection;
import layerfd.protocol.jsonrpc.MethodTable;
import layerfd.protocol.jsonrpc.Reply;
import layerfd.testing.OpenFds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transport runner against layerfd's own test peer: strict, every check passes, nothing skipped or leaked. */
class JavaTestPeerTransportTest {
    @TempDir
    Path dir;

    /**
     * Measured around the runner while the peer runs (the peer's connections end on its own threads), on the
     * second run: the first loads classes, and the JVM keeps open the jars it read them from.
     */
    @Test
    void everyCheckPassesAgainstTheJavaTestPeer() throws Exception {
        try (TestPeerServer peer = TestPeerServer.start(dir.resolve("peer.sock"), FdpassOptions.defaults())) {
            for (int run = 0; run < 2; run++) {
                var before = OpenFds.snapshot();
                ConformanceReport report = TransportRunner.run(TransportOptions.of(peer.socket()));
                Reports.assertPassedExceptSkips(report, Set.of());
                assertEquals(15, report.checks().size());
                if (run == 1) {
                    OpenFds.assertNoneNew(before, "the transport runner and the test peer");
                }
            }
        }
    }

    @Test
    void everyCheckPassesWhenTheRunnerSendsEightFdsPerSendmsg() throws Exception {
        try (TestPeerServer peer = TestPeerServer.start(dir.resolve("peer.sock"), FdpassOptions.defaults())) {
            ConformanceReport report = TransportRunner.run(TransportOptions.of(peer.socket()).withMaxFdsPerSendmsg(8));
            Reports.assertPassedExceptSkips(report, Set.of());
        }
    }

    @Test
    void everyCheckPassesWhenThePeerAlsoBatchesByEight() throws Exception {
        FdpassOptions eight = FdpassOptions.defaults().withMaxFdsPerSendmsg(8);
        try (TestPeerServer peer = TestPeerServer.start(dir.resolve("peer.sock"), eight)) {
            ConformanceReport report = TransportRunner.run(TransportOptions.of(peer.socket()).withMaxFdsPerSendmsg(8));
            Reports.assertPassedExceptSkips(report, Set.of());
        }
    }

    /** A peer with only a wrong echo: the runner must FAIL what it breaks and SKIP only the optional methods. */
    @Test
    void aPeerThatLosesParamsAndLacksMethodsFailsAndSkipsExactlyThoseChecks() throws Exception {
        MethodTable broken = MethodTable.builder().add("echo", request -> Reply.of(NullNode.getInstance())).build();
        try (FdpassServerSocket listener = FdpassServerSocket.bind(dir.resolve("broken.sock"), FdpassOptions.defaults())) {
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        FdpassSocket accepted = listener.accept();
                        JsonRpcConnection.start(accepted, broken);
                    }
                } catch (java.io.IOException closed) {
                    // The listener was closed at the end of the test.
                }
            });
            ConformanceReport report = TransportRunner.run(TransportOptions.of(listener.path()));
            assertFalse(report.succeeded());
            assertEquals(new TreeSet<>(Set.of("fd_count_300", "echo_fds_300")),
                    Reports.names(report, CheckStatus.SKIP), report.toJson().toPrettyString());
            assertEquals(new TreeSet<>(Set.of("echo_nested_params", "echo_array_params", "echo_string_id",
                    "echo_large_int_id", "pipelined_100", "pretty_printed_request", "read_file_one_fd",
                    "create_pipe")), Reports.names(report, CheckStatus.FAIL), report.toJson().toPrettyString());
            assertTrue(report.check("read_file_one_fd").detail().contains("-32601"),
                    report.check("read_file_one_fd").detail());
            assertTrue(report.closingLine().matches("\\d+ passed, 8 failed, 2 skipped"), report.closingLine());
        }
    }
}
