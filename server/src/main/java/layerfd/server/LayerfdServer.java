package layerfd.server;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import layerfd.linux.OwnedFd;
import layerfd.protocol.fdpass.FdpassServerSocket;
import layerfd.protocol.fdpass.FdpassSocket;
import layerfd.protocol.fdpass.PeerCredentials;
import layerfd.protocol.jsonrpc.ErrorCodes;
import layerfd.server.internal.ClientSession;
import layerfd.server.internal.EventLog;
import layerfd.server.internal.SocketFile;
import layerfd.server.methods.ConnectionState;
import layerfd.server.methods.ServiceContext;
import layerfd.server.methods.ServiceMethods;
import layerfd.server.rootless.ContentOpeners;
import layerfd.server.store.Store;

/**
 * The layerfd service: accepts connections on its socket, checks each peer against the {@link AccessPolicy}, and
 * serves the contract's methods (api-contract §3) from one containers-storage store, many clients at once.
 * <pre>{@code
 * LayerfdServer server = LayerfdServer.start(options);
 * ...
 * server.shutdown();   // stop accepting, let running requests finish (bounded), close, remove the socket file
 * }</pre>
 */
public final class LayerfdServer implements AutoCloseable {
    /** After a failed accept (e.g. EMFILE) the loop waits this long before trying again, instead of spinning. */
    static final long ACCEPT_RETRY_MILLIS = 100;

    private final ServerOptions options;
    private final FdpassServerSocket listener;
    /** Direct file access, or the userns helper for a rootless store (started on first use; docs/rootless.md). */
    private final ContentOpeners openers;
    private final ServiceContext context;
    private final EventLog log;
    private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private LayerfdServer(ServerOptions options, FdpassServerSocket listener, Store store, ContentOpeners openers,
                          EventLog log) {
        this.options = options;
        this.listener = listener;
        this.openers = openers;
        this.context = new ServiceContext(store, openers, options.inlineThreshold(), options.limits(), version());
        this.log = log;
    }

    /** Starts serving, logging to stderr. */
    public static LayerfdServer start(ServerOptions options) throws IOException {
        return start(options, System.err);
    }

    /** Starts serving: opens the store, binds or takes over the socket, and accepts on a thread of its own. */
    public static LayerfdServer start(ServerOptions options, PrintStream logStream) throws IOException {
        Store store = Store.open(options.store());
        ContentOpeners openers = ContentOpeners.forStore(options.store());
        FdpassServerSocket listener = switch (options.listen()) {
            case ListenOn.SocketFile file -> SocketFile.bind(file.path(), options.transport());
            case ListenOn.Inherited inherited -> FdpassServerSocket.inherit(OwnedFd.adopt(inherited.fd()),
                    inherited.path(), options.transport());
        };
        EventLog log = new EventLog(logStream, Clock.systemUTC());
        LayerfdServer server = new LayerfdServer(options, listener, store, openers, log);
        log.log("listening", "socket", listener.path(), "inherited", options.listen() instanceof ListenOn.Inherited,
                "graphRoot", options.store().graphRoot(), "runRoot", options.store().runRoot(),
                "driver", options.store().driver(), "helper", openers.helperInUse(), "allow", options.access(),
                "version", server.context.version(),
                "pid", ProcessHandle.current().pid());
        Thread.ofPlatform().name("layerfd-accept").daemon(false).start(server::acceptLoop);
        return server;
    }

    /** The server's version: the jar's Implementation-Version, "development" when run from classes. */
    public static String version() {
        String version = LayerfdServer.class.getPackage().getImplementationVersion();
        return version != null ? version : "development";
    }

    public Path socketPath() {
        return listener.path();
    }

    private void acceptLoop() {
        while (!stopping.get()) {
            FdpassSocket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (stopping.get()) {
                    return;
                }
                log.log("accept-failed", "error", e.getMessage());
                pause();
                continue;
            }
            admit(socket);
        }
    }

    /** SO_PEERCRED right after accept, before anything is read (api-contract §2). */
    private void admit(FdpassSocket socket) {
        long number = connections.incrementAndGet();
        PeerCredentials peer;
        try {
            peer = socket.peerCredentials();
        } catch (IOException e) {
            log.log("refused", "conn", number, "reason", "no peer credentials: " + e.getMessage());
            ClientSession.refuse(socket, ErrorCodes.PEER_NOT_ALLOWED, "peer credentials unavailable");
            return;
        }
        if (!options.access().allows(peer)) {
            log.log("refused", "conn", number, "uid", peer.uid(), "gid", peer.gid(), "pid", peer.pid(),
                    "reason", "not allowed");
            Thread.ofVirtual().start(() -> ClientSession.refuse(socket, ErrorCodes.PEER_NOT_ALLOWED, "peer uid "
                    + peer.uid() + " gid " + peer.gid() + " is not allowed to use layerfd (allowed: "
                    + options.access() + ")"));
            return;
        }
        if (sessions.size() >= options.limits().maxConnections()) {
            log.log("refused", "conn", number, "uid", peer.uid(), "pid", peer.pid(), "reason", "too many connections");
            Thread.ofVirtual().start(() -> ClientSession.refuse(socket, ErrorCodes.RESOURCE_LIMIT_REACHED,
                    "layerfd already serves " + options.limits().maxConnections() + " connections (the limit); "
                            + "try again later"));
            return;
        }
        ConnectionState state = new ConnectionState(options.limits());
        ClientSession session = new ClientSession(number, socket, peer, ServiceMethods.table(context, state), state,
                log, options.limits().maxRequestsPerConnection());
        sessions.add(session);
        log.log("connect", "conn", number, "uid", peer.uid(), "gid", peer.gid(), "pid", peer.pid());
        Thread.ofVirtual().name("layerfd-conn-" + number).start(() -> {
            try {
                session.run();
            } finally {
                sessions.remove(session);
            }
        });
        if (stopping.get()) {
            // Accepted just as shutdown began: shutdown may already have walked the sessions.
            session.close();
        }
    }

    /**
     * Stops the server (SIGTERM): stops accepting and removes a socket file it bound, lets requests already running
     * finish within {@link ServerLimits#shutdownGrace()} (new ones are answered with an error), then closes every
     * connection, which closes every fd still held. Idempotent; returns when done.
     */
    public void shutdown() {
        if (!stopping.compareAndSet(false, true)) {
            awaitQuietly();
            return;
        }
        log.log("shutdown", "connections", sessions.size(), "grace_ms", options.limits().shutdownGrace().toMillis());
        try {
            listener.close();
        } catch (IOException e) {
            log.log("close-failed", "socket", listener.path(), "error", e.getMessage());
        }
        List<ClientSession> draining = List.copyOf(sessions);
        draining.forEach(ClientSession::drain);
        long deadline = System.nanoTime() + options.limits().shutdownGrace().toNanos();
        boolean clean = true;
        try {
            for (ClientSession session : draining) {
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                clean &= session.awaitIdle(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            clean = false;
        }
        List.copyOf(sessions).forEach(ClientSession::close);
        openers.close();
        log.log("stopped", "drained", clean);
        stopped.countDown();
    }

    /** Blocks until {@link #shutdown()} has finished. */
    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    private void awaitQuietly() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(ACCEPT_RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        shutdown();
    }
}
