package layerfd.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.Set;
import layerfd.linux.Credentials;
import layerfd.protocol.fdpass.FdpassOptions;
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
        OptionalInt inherited = SystemdActivation.listeningFd();
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
     * removed. Returns {@link #EXIT_OK}.
     */
    public static int runUntilStopped(ServerOptions options) throws IOException, InterruptedException {
        LayerfdServer server = LayerfdServer.start(options);
        for (String name : STOP_SIGNALS) {
            // A JVM shutdown hook would exit 143 after SIGTERM; handling the signal lets main return 0.
            Signal.handle(new Signal(name), signal ->
                    Thread.ofPlatform().name("layerfd-stop").start(server::shutdown));
        }
        server.awaitTermination();
        return EXIT_OK;
    }
}
