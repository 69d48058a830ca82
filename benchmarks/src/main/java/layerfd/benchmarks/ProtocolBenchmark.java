package layerfd.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import layerfd.benchmarks.internal.Peer;
import layerfd.benchmarks.internal.PeerConnection;
import layerfd.linux.LinuxException;
import layerfd.linux.OwnedFd;
import layerfd.protocol.fdpass.TestFds;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Requests per second and fds per second over jsonrpc-fdpass (issue #8), over one connection shared by
 * {@value #THREADS} calling threads and over {@value #THREADS} connections of their own, with layerfd's transport
 * and the Python stdlib peer as the server. The client is layerfd's transport in both cases, so the difference is
 * the server's. A request is {@code null}; an fd call is {@code read_fds} with {@value #FDS_PER_CALL} fds (the
 * server reads each one), counted as {@value #FDS_PER_CALL} operations, so its score is fds per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Threads(ProtocolBenchmark.THREADS)
public class ProtocolBenchmark {
    /** Calling threads, and connections in the many-connection case: two per core of the 2-core reference box. */
    static final int THREADS = 4;
    /** A batch the size of the server's windowed layer streams' typical sendmsg batch, well below SCM_MAX_FD. */
    static final int FDS_PER_CALL = 64;
    private static final String FD_CONTENT = "layerfd benchmark fd";

    /** The server, and the connection every thread shares. */
    @State(Scope.Benchmark)
    public static class Server {
        @Param({"java", "python"})
        public String peer;

        Path directory;
        Peer server;
        PeerConnection shared;
        /** Duplicated for every call: creating memfds is the client's cost, not the server's. */
        OwnedFd content;

        @Setup(Level.Trial)
        public void start() throws IOException {
            directory = Files.createTempDirectory("layerfd-bench-");
            server = Peer.start(peer, directory);
            shared = server.connect();
            content = TestFds.memfd(FD_CONTENT);
        }

        @TearDown(Level.Trial)
        public void stop() throws IOException {
            content.close();
            shared.close();
            server.close();
            try (var files = Files.list(directory)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.delete(directory);
        }

        List<OwnedFd> fds() throws LinuxException {
            List<OwnedFd> fds = new ArrayList<>(FDS_PER_CALL);
            for (int i = 0; i < FDS_PER_CALL; i++) {
                fds.add(content.dup());
            }
            return fds;
        }
    }

    /** A connection of the calling thread's own. */
    @State(Scope.Thread)
    public static class OwnConnection {
        PeerConnection connection;

        @Setup(Level.Trial)
        public void connect(Server server) throws IOException {
            connection = server.server.connect();
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            connection.close();
        }
    }

    @Benchmark
    public JsonNode requestsOneConnection(Server server) throws IOException {
        return server.shared.call("null", List.of());
    }

    @Benchmark
    public JsonNode requestsManyConnections(OwnConnection own) throws IOException {
        return own.connection.call("null", List.of());
    }

    @Benchmark
    @OperationsPerInvocation(FDS_PER_CALL)
    public JsonNode fdsOneConnection(Server server) throws IOException {
        return checked(server.shared.call("read_fds", server.fds()));
    }

    @Benchmark
    @OperationsPerInvocation(FDS_PER_CALL)
    public JsonNode fdsManyConnections(Server server, OwnConnection own) throws IOException {
        return checked(own.connection.call("read_fds", server.fds()));
    }

    /** Every fd must have arrived and been read: a peer that dropped fds would otherwise look fast. */
    private static JsonNode checked(JsonNode contents) throws IOException {
        if (contents.size() != FDS_PER_CALL || !FD_CONTENT.equals(contents.get(FDS_PER_CALL - 1).asText())) {
            throw new IOException("read_fds answered " + contents.size() + " contents, expected " + FDS_PER_CALL);
        }
        return contents;
    }
}
