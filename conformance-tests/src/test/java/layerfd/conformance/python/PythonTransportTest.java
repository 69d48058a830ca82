package layerfd.conformance.python;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import layerfd.conformance.peer.TestPeerServer;
import layerfd.conformance.report.ConformanceReport;
import layerfd.conformance.support.PeerProcess;
import layerfd.conformance.support.PythonPeers;
import layerfd.conformance.support.Reports;
import layerfd.conformance.transport.TransportOptions;
import layerfd.conformance.transport.TransportRunner;
import layerfd.protocol.fdpass.FdpassOptions;
import layerfd.testing.OpenFds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both directions of the transport suite with the Python peer: layerfd's transport runner against
 * {@code fdpass_peer.py server --forever}, and {@code fdpass_peer.py transport-client} against layerfd's Java test
 * peer. Strict: every check passes, none skips.
 */
class PythonTransportTest {
    private static final int RUNNER_CHECKS = 15;
    private static final List<String> PYTHON_CLIENT_CHECKS = List.of("echo_nested_params", "echo_string_id",
            "echo_large_int_id", "echo_absent_params", "notification_gets_no_response", "method_not_found",
            "read_file_one_fd", "create_pipe", "fd_count_300", "echo_fds_300", "pipelined_100",
            "pretty_printed_request", "no_fd_leak");
    private static final long CLIENT_SECONDS = 120;
    private static final long STOP_SECONDS = 10;

    @TempDir
    Path dir;

    /** The runner's default batch of 253 (300 fds go out as 253 + 47) and 8 (the old Go copy). */
    @ParameterizedTest
    @ValueSource(ints = {FdpassOptions.DEFAULT_MAX_FDS_PER_SENDMSG, 8})
    void theTransportRunnerPassesEveryCheckAgainstThePythonServer(int maxFdsPerSendmsg) throws Exception {
        Path socket = dir.resolve("python.sock");
        try (PeerProcess python = PeerProcess.serve(
                PythonPeers.command("fdpass_peer.py", "server", "--forever", "--socket", socket.toString()), socket)) {
            for (int run = 0; run < 2; run++) {
                var before = OpenFds.snapshot();
                ConformanceReport report = TransportRunner.run(
                        TransportOptions.of(socket).withMaxFdsPerSendmsg(maxFdsPerSendmsg));
                Reports.assertPassedExceptSkips(report, Set.of());
                assertEquals(RUNNER_CHECKS, report.checks().size());
                if (run == 1) { // the first run loads classes from jars the JVM keeps open
                    OpenFds.assertNoneNew(before, "the transport runner against the Python server");
                }
            }
            assertTrue(python.isAlive(), python.output());
        }
    }

    @Test
    void theShutdownNotificationStopsThePythonServerAndRemovesItsSocket() throws Exception {
        Path socket = dir.resolve("python.sock");
        try (PeerProcess python = PeerProcess.serve(
                PythonPeers.command("fdpass_peer.py", "server", "--forever", "--socket", socket.toString()), socket)) {
            Files.writeString(dir.resolve("notify.py"), """
                    import socket, sys
                    s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
                    s.sendall(b'{"jsonrpc":"2.0","method":"shutdown"}'); s.close()
                    """);
            PeerProcess.Finished notify = PeerProcess.run(List.of("python3", dir.resolve("notify.py").toString(),
                    socket.toString()), dir.resolve("notify.log"), STOP_SECONDS);
            assertEquals(0, notify.exitCode(), notify.output());
            assertEquals(0, python.awaitExit(STOP_SECONDS), python.output());
            assertTrue(Files.notExists(socket), "socket removed");
        }
    }

    /**
     * Measured while the peer runs (its connections end on its own threads), around the second run: the first
     * loads classes from jars the JVM keeps open.
     */
    @ParameterizedTest
    @ValueSource(strings = {"500", "8"})
    void thePythonTransportClientPassesEveryCheckAgainstTheJavaTestPeer(String maxFdsPerSendmsg) throws Exception {
        try (TestPeerServer peer = TestPeerServer.start(dir.resolve("peer.sock"), FdpassOptions.defaults())) {
            for (int run = 0; run < 2; run++) {
                var before = OpenFds.snapshot();
                PeerProcess.Finished client = PeerProcess.run(PythonPeers.command("fdpass_peer.py",
                        "transport-client", "--socket", peer.socket().toString(), "--max-fds-per-sendmsg",
                        maxFdsPerSendmsg), dir.resolve("client.log"), CLIENT_SECONDS);
                assertEquals(0, client.exitCode(), client.output());
                assertEquals(PYTHON_CLIENT_CHECKS.stream().map(c -> "PASS " + c).toList(),
                        PythonPeers.checkLines(client.output()), client.output());
                assertArrayEquals(new int[] {PYTHON_CLIENT_CHECKS.size(), 0},
                        PythonPeers.closingCounts(client.output()));
                if (run == 1) {
                    OpenFds.assertNoneNew(before, "the Java test peer serving the Python client");
                }
            }
        }
    }

    /** A peer without fdCount proves the Python client can fail: exactly the checks that need it FAIL, exit 1. */
    @Test
    void thePythonTransportClientFailsAgainstAPeerMissingMethods() throws Exception {
        Path socket = dir.resolve("python.sock");
        Files.writeString(dir.resolve("echo_only.py"), """
                import sys
                sys.path.insert(0, sys.argv[1])
                import fdpass, rpc
                def dispatch(method, params, fds):
                    if method == "echo":
                        return params, []
                    raise rpc.RpcError(fdpass.METHOD_NOT_FOUND, "Method not found: " + method)
                rpc.serve_forever(sys.argv[2], dispatch)
                """);
        try (PeerProcess echoOnly = PeerProcess.serve(List.of("python3", dir.resolve("echo_only.py").toString(),
                PythonPeers.FOLDER.toAbsolutePath().toString(), socket.toString()), socket)) {
            PeerProcess.Finished run = PeerProcess.run(PythonPeers.command("fdpass_peer.py", "transport-client",
                    "--socket", socket.toString()), dir.resolve("client.log"), CLIENT_SECONDS);
            assertEquals(1, run.exitCode(), run.output());
            List<String> failed = PythonPeers.checkLines(run.output()).stream().filter(l -> l.startsWith("FAIL "))
                    .map(l -> l.substring("FAIL ".length(), l.indexOf(':'))).toList();
            assertEquals(List.of("read_file_one_fd", "create_pipe", "fd_count_300", "echo_fds_300"), failed,
                    run.output());
            assertArrayEquals(new int[] {PYTHON_CLIENT_CHECKS.size() - 4, 4}, PythonPeers.closingCounts(run.output()));
        }
    }
}
