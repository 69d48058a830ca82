package layerfd.conformance.peer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import layerfd.protocol.fdpass.FdpassOptions;
import layerfd.protocol.fdpass.FdpassServerSocket;
import layerfd.protocol.fdpass.FdpassSocket;
import layerfd.protocol.jsonrpc.JsonRpcConnection;
import layerfd.protocol.jsonrpc.MethodTable;

/**
 * layerfd's test peer listening on a socket file: every connection is served by {@link TestPeerMethods} on its own
 * {@link JsonRpcConnection}. Stops on {@link #close()} or a {@code shutdown} notification, and removes its socket.
 */
public final class TestPeerServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TestPeerServer.class.getName());

    private final FdpassServerSocket listener;
    private final FdpassOptions options;
    private final MethodTable methods = TestPeerMethods.table(this::close);
    private final Set<JsonRpcConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private TestPeerServer(FdpassServerSocket listener, FdpassOptions options) {
        this.listener = listener;
        this.options = options;
    }

    /** Binds {@code socket} (a stale file is replaced) and starts accepting. */
    public static TestPeerServer start(Path socket, FdpassOptions options) throws IOException {
        TestPeerServer server = new TestPeerServer(FdpassServerSocket.bind(socket, options), options);
        Thread.ofPlatform().daemon().name("test-peer-accept").start(server::acceptLoop);
        return server;
    }

    public Path socket() {
        return listener.path();
    }

    /** Blocks until the server has stopped (after {@link #close()} or a {@code shutdown} notification). */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    private void acceptLoop() {
        try {
            while (!closing.get()) {
                FdpassSocket accepted = listener.accept();
                JsonRpcConnection connection = JsonRpcConnection.start(accepted, methods);
                connections.add(connection);
                connection.closed().whenComplete((ignored, failure) -> connections.remove(connection));
                if (closing.get()) {
                    connection.close();
                }
            }
        } catch (IOException e) {
            if (!closing.get()) {
                LOG.log(System.Logger.Level.WARNING, "test peer stops accepting on " + socket() + ": " + e.getMessage());
            }
        } finally {
            close();
        }
    }

    /** Stops accepting, removes the socket file and closes every connection. Idempotent. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        try {
            listener.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing " + socket() + ": " + e.getMessage());
        }
        connections.forEach(JsonRpcConnection::close);
        stopped.countDown();
    }

    @Override
    public String toString() {
        return "layerfd test peer on " + socket() + " (" + options.maxFdsPerSendmsg() + " fds per sendmsg)";
    }
}
