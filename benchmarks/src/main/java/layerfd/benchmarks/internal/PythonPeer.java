package layerfd.benchmarks.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import layerfd.protocol.fdpass.FdpassSocket;
import layerfd.protocol.jsonrpc.JsonRpcConnection;
import layerfd.protocol.jsonrpc.MethodTable;

/**
 * The Python standard-library peer (its {@code server} mode serves one connection and exits), so every connection
 * is its own peer process. Its request handlers each run on a new thread under the GIL, as written.
 */
public final class PythonPeer implements Peer {
    static final String NAME = "python";
    /** The peer's path in the repository; the one place that names it. */
    public static final Path SCRIPT = Path.of("conformance-tests/peers/python/fdpass_peer.py");
    private static final long EXIT_WAIT_SECONDS = 10;

    private final Path directory;
    private final Path script;
    private final AtomicInteger connections = new AtomicInteger();

    PythonPeer(Path directory) throws IOException {
        this.directory = directory;
        this.script = locate();
    }

    /** SCRIPT below the working directory or one of its parents (the repository root, or a module inside it). */
    private static Path locate() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(SCRIPT))) {
                return dir.resolve(SCRIPT);
            }
        }
        throw new IOException("the Python peer " + SCRIPT + " is not below " + Path.of("").toAbsolutePath()
                + " or any of its parents; run from the repository");
    }

    @Override
    public PeerConnection connect() throws IOException {
        Path socket = directory.resolve("python-peer-" + connections.incrementAndGet() + ".sock");
        Process process = new ProcessBuilder("python3", script.toString(), "server", "--socket", socket.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String ready = out.readLine();
            if (!"ready".equals(ready)) {
                throw new IOException("the Python peer did not start: it printed " + ready);
            }
            JsonRpcConnection rpc = JsonRpcConnection.start(FdpassSocket.connect(socket), MethodTable.empty());
            return new PeerConnection(rpc, () -> stop(process, socket));
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** The peer exits once its connection ends; it leaves its socket file behind. */
    private static void stop(Process process, Path socket) throws IOException, InterruptedException {
        if (!process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        Files.deleteIfExists(socket);
    }

    @Override
    public void close() {}
}
