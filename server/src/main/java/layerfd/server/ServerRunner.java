package layerfd.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import layerfd.linux.CapabilitySets;
import layerfd.linux.Credentials;
import layerfd.protocol.fdpass.FdpassOptions;
import layerfd.server.internal.EventLog;
import layerfd.server.privilege.PrivilegeDrop;
import layerfd.server.store.StoreLocation;
import layerfd.server.store.config.DiscoveryEnvironment;
import layerfd.server.store.config.StoreConfigException;
import layerfd.server.store.config.StoreDiscovery;
import layerfd.server.store.config.StoreOverrides;
import sun.misc.Signal;

/**
 * What {@code layerfd serve} and {@link ServerMain} share: turning command-line choices into {@link ServerOptions}
 * (store discovery, socket activation, default allow list) and running the server until SIGTERM or SIGINT.
 */
public final class ServerRunner {
    /** Exit status after a clean shutdown on SIGTERM/SIGINT (the service stopped as asked). */
    public static final int EXIT_OK = 0;
    private static final String[] STOP_SIGNALS = {"TERM", "INT"};

    private ServerRunner() {}

    /**
     * Options from command-line choices: the store from discovery with {@code overrides}; fd 3 when socket-activated
     * (then {@code socket} only names it in logs), else {@code socket} is bound; the default allow list plus
     * {@code allowUids} and {@code allowGids}.
     */
    public static ServerOptions options(Path socket, StoreOverrides overrides, Set<Long> allowUids,
                                        Set<Long> allowGids, long inlineThreshold, int maxFdsPerSendmsg,
                                        ServerLimits limits) throws IOException, StoreConfigException {
        StoreLocation store = StoreDiscovery.discover(overrides, DiscoveryEnvironment.current());
        // A server re-executed by --drop-privileges serves the socket it bound before the drop.
        OptionalInt inherited = PrivilegeDrop.reexecuted().map(PrivilegeDrop.Reexecuted::boundSocketFd)
                .filter(OptionalInt::isPresent).orElseGet(SystemdActivation::listeningFd);
        ListenOn listen = inherited.isPresent()
                ? new ListenOn.Inherited(inherited.getAsInt(), socket)
                : new ListenOn.SocketFile(socket);
        AccessPolicy access = AccessPolicy.defaults(Credentials.effectiveUid(), allowUids, allowGids);
        FdpassOptions transport = FdpassOptions.defaults().withMaxFdsPerSendmsg(maxFdsPerSendmsg);
        return new ServerOptions(listen, store, access, inlineThreshold, limits, transport);
    }

    /**
     * Starts the server and blocks until SIGTERM or SIGINT has shut it down cleanly (docs/operations.md): no new
     * connections, running requests finish within the grace period, connections closed, socket file
     * removed. With {@code dropPrivileges}, a root server first re-executes itself with only
     * {@link PrivilegeDrop#KEPT} (docs/security.md). Returns {@link #EXIT_OK}.
     */
    public static int runUntilStopped(ServerOptions options, boolean dropPrivileges)
            throws IOException, InterruptedException {
        Optional<PrivilegeDrop.Reexecuted> stage = PrivilegeDrop.reexecuted();
        if (dropPrivileges && stage.isEmpty()) {
            PrivilegeDrop.reexecWithoutPrivileges(options.listen());
        }
        // The socket file this process bound before re-executing is its own to remove, unlike systemd's.
        Optional<Path> ownSocketFile = stage.filter(s -> s.boundSocketFd().isPresent())
                .map(s -> options.listen().path());
        // Signal handlers go in before the server starts: a SIGTERM right after the "listening" line must still be a
        // clean stop (exit 0), not the JVM's default exit 143.
        AtomicReference<LayerfdServer> running = new AtomicReference<>();
        AtomicBoolean stopRequested = new AtomicBoolean();
        for (String name : STOP_SIGNALS) {
            Signal.handle(new Signal(name), signal -> Thread.ofPlatform().name("layerfd-stop").start(() -> {
                stopRequested.set(true);
                ownSocketFile.ifPresent(ServerRunner::removeQuietly);
                LayerfdServer started = running.get();
                if (started != null) {
                    started.shutdown();
                }
            }));
        }
        LayerfdServer server;
        try {
            if (stage.isPresent()) {
                logKept(PrivilegeDrop.verify());
            }
            server = LayerfdServer.start(options);
        } catch (IOException | RuntimeException e) {
            ownSocketFile.ifPresent(ServerRunner::removeQuietly);
            throw e;
        }
        running.set(server);
        if (stopRequested.get()) {
            // The signal came while the server started; shutdown is idempotent if the handler saw it too.
            server.shutdown();
        }
        server.awaitTermination();
        return EXIT_OK;
    }

    /** One log line (docs/operations.md "Logs") saying what the re-executed server holds. */
    private static void logKept(CapabilitySets kept) {
        new EventLog(System.err, Clock.systemUTC()).log("privileges", "kept", "CAP_DAC_READ_SEARCH",
                "effective", Long.toHexString(kept.effective()), "bounding", Long.toHexString(kept.bounding()),
                "no_new_privs", kept.noNewPrivs(), "uid", kept.effectiveUid());
    }

    private static void removeQuietly(Path socketFile) {
        try {
            Files.deleteIfExists(socketFile);
        } catch (IOException e) {
            System.err.println("layerfd server: cannot remove socket file " + socketFile + ": " + e.getMessage());
        }
    }
}
