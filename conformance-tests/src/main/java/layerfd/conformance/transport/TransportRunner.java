package layerfd.conformance.transport;

import java.io.IOException;
import java.util.Map;
import layerfd.conformance.internal.OpenFdTable;
import layerfd.conformance.report.CheckFailed;
import layerfd.conformance.report.CheckRunner;
import layerfd.conformance.report.ConformanceReport;
import layerfd.conformance.transport.internal.EchoChecks;
import layerfd.conformance.transport.internal.FdChecks;
import layerfd.conformance.transport.internal.StreamChecks;
import layerfd.conformance.transport.internal.TransportSession;

/**
 * {@code layerfd conformance transport}: drives any jsonrpc-fdpass peer that implements the upstream example
 * server's methods (echo, readFile, createPipe), plus fdCount/echoFds where the peer has them. Every check opens
 * its own connection and is independent of the others; the last one proves the runner leaked no fd.
 */
public final class TransportRunner {
    public static final String SUITE = "transport";

    private TransportRunner() {}

    public static ConformanceReport run(TransportOptions options) throws IOException {
        TransportSession session = new TransportSession(options);
        EchoChecks echo = new EchoChecks(session);
        FdChecks fds = new FdChecks(session);
        StreamChecks stream = new StreamChecks(session);
        CheckRunner runner = new CheckRunner();
        OpenFdTable before = OpenFdTable.baseline();

        runner.run("echo_nested_params", echo::nestedParams);
        runner.run("echo_array_params", echo::arrayParams);
        runner.run("echo_string_id", echo::stringId);
        runner.run("echo_large_int_id", echo::largeIntegerId);
        runner.run("echo_absent_params", echo::absentParams);
        runner.run("echo_null_params", echo::nullParams);
        runner.run("notification_gets_no_response", echo::notificationGetsNoResponse);
        runner.run("method_not_found", echo::methodNotFound);
        runner.run("read_file_one_fd", fds::readFileOneFd);
        runner.run("create_pipe", fds::createPipe);
        runner.run("fd_count_" + FdChecks.BATCHED_FD_COUNT, fds::fdCountBatched);
        runner.run("echo_fds_" + FdChecks.BATCHED_FD_COUNT, fds::echoFdsBatched);
        runner.run("pipelined_" + StreamChecks.PIPELINED_REQUESTS, stream::pipelined);
        runner.run("pretty_printed_request", stream::prettyPrinted);
        runner.run("no_fd_leak", () -> noFdLeak(before));
        return runner.report(SUITE, options.socket().toString());
    }

    /** Every fd the checks made or received is closed again (README §8: the receiver closes what it receives). */
    static void noFdLeak(OpenFdTable before) throws IOException, InterruptedException, CheckFailed {
        Map<Integer, String> leaked = OpenFdTable.leakedSince(before);
        CheckFailed.unless(leaked.isEmpty(), leaked.size() + " fd(s) still open after the checks: " + leaked);
    }
}
