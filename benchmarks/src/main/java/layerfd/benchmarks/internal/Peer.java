package layerfd.benchmarks.internal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The far end of the benchmarked connections, offering the methods {@code null} (no params, null result) and
 * {@code read_fds} (result: the contents of the request's fds), the same work in every implementation.
 */
public sealed interface Peer extends AutoCloseable permits JavaPeer, PythonPeer {
    /** The peers by the names the benchmarks' {@code peer} parameter uses. */
    static Peer start(String name, Path directory) throws IOException {
        return switch (name) {
            case JavaPeer.NAME -> JavaPeer.start(directory);
            case PythonPeer.NAME -> new PythonPeer(directory);
            default -> throw new IllegalArgumentException("unknown peer '" + name + "' (java or python)");
        };
    }

    /** A new connection to this peer; closing it closes the connection (and whatever served only it). */
    PeerConnection connect() throws IOException;

    @Override
    void close() throws IOException;
}
