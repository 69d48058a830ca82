package layerfd.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import layerfd.testing.OpenFds;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** The harness works: every benchmark, against both peers, runs one short iteration in this JVM and measures work. */
class ProtocolBenchmarkSmokeTest {
    private static final List<String> BENCHMARKS =
            List.of("requestsOneConnection", "requestsManyConnections", "fdsOneConnection", "fdsManyConnections");
    private static final List<String> PEERS = List.of("java", "python");
    private static final long WARMUP_MILLIS = 50;
    private static final long MEASURE_MILLIS = 200;

    /** One short iteration in this JVM: the smoke test proves the harness, it measures nothing worth keeping. */
    private static Collection<RunResult> runAll(long milliseconds) throws RunnerException {
        Options options = new OptionsBuilder()
                .include(ProtocolBenchmark.class.getName() + "\\.")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(milliseconds))
                .shouldFailOnError(true)
                .build();
        return new Runner(options).run();
    }

    @Test
    void everyBenchmarkRunsAgainstBothPeersAndLeavesNoFdBehind() throws Exception {
        // A first pass opens what the JVM and JMH keep for good (SecureRandom's /dev/random, ...).
        runAll(WARMUP_MILLIS);
        TreeSet<Integer> before = OpenFds.snapshot();
        Collection<RunResult> results = runAll(MEASURE_MILLIS);

        TreeSet<String> ran = new TreeSet<>();
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark();
            String peer = result.getParams().getParam("peer");
            ran.add(name.substring(name.lastIndexOf('.') + 1) + "/" + peer);
            assertTrue(result.getPrimaryResult().getScore() > 0, name + " against " + peer + " measured nothing");
        }
        TreeSet<String> expected = new TreeSet<>();
        BENCHMARKS.forEach(b -> PEERS.forEach(p -> expected.add(b + "/" + p)));
        assertEquals(expected, ran);
        OpenFds.assertNoneNew(before, "the benchmarks' sockets, peers and fds");
    }
}
