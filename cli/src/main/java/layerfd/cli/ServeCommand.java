package layerfd.cli;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import layerfd.protocol.fdpass.FdpassOptions;
import layerfd.server.ServerLimits;
import layerfd.server.ServerOptions;
import layerfd.server.ServerRunner;
import layerfd.server.store.config.StoreOverrides;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code layerfd serve} (api-contract §4): serves the store on the socket until SIGTERM or SIGINT, then shuts down
 * cleanly and exits 0. Under systemd socket activation (LISTEN_FDS) it serves the inherited socket instead of
 * binding one. Logs one structured line per request to stderr (docs/operations.md).
 */
@Command(name = "serve", description = "Serve containers-storage layers as splitfdstreams on a Unix socket.")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    SocketOption socket;
    @Mixin
    StorageOptions storage;

    @Option(names = "--allow-uid", paramLabel = "UID",
            description = "Also allow peers with this uid (repeatable; uid 0 and the server's uid always are).")
    List<Long> allowUids = List.of();

    @Option(names = "--allow-gid", paramLabel = "GID",
            description = "Also allow peers whose primary gid is this (repeatable).")
    List<Long> allowGids = List.of();

    @Option(names = "--inline-threshold", paramLabel = "BYTES",
            description = "Files of at most this size travel inline, larger ones as fds (default: ${DEFAULT-VALUE}).")
    long inlineThreshold = ServerOptions.DEFAULT_INLINE_THRESHOLD;

    @Option(names = "--max-fds-per-sendmsg", paramLabel = "N",
            description = "fds per sendmsg before batching (default: ${DEFAULT-VALUE}; 8 for container-libs' old "
                    + "Go peer).")
    int maxFdsPerSendmsg = FdpassOptions.DEFAULT_MAX_FDS_PER_SENDMSG;

    @Option(names = "--max-fds-per-response", paramLabel = "N",
            description = "Content fds one GetSplitFDStream response may carry; larger layers need OpenLayerStream "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxFdsPerResponse = ServerLimits.DEFAULT_MAX_FDS_PER_RESPONSE;

    @Option(names = "--max-streams", paramLabel = "N",
            description = "Layer streams per connection at once (default: ${DEFAULT-VALUE}).")
    int maxStreams = ServerLimits.DEFAULT_MAX_STREAMS_PER_CONNECTION;

    @Option(names = "--max-connections", paramLabel = "N",
            description = "Clients connected at once (default: ${DEFAULT-VALUE}).")
    int maxConnections = ServerLimits.DEFAULT_MAX_CONNECTIONS;

    @Option(names = "--drop-privileges",
            description = "As root: after binding the socket, keep only CAP_DAC_READ_SEARCH and set no_new_privs "
                    + "(the server re-executes itself; docs/security.md).")
    boolean dropPrivileges;

    @Override
    public Integer call() throws Exception {
        ServerLimits limits = ServerLimits.defaults()
                .withMaxFdsPerResponse(maxFdsPerResponse)
                .withMaxStreamsPerConnection(maxStreams)
                .withMaxConnections(maxConnections);
        StoreOverrides overrides = new StoreOverrides(Optional.ofNullable(storage.root),
                Optional.ofNullable(storage.runRoot), Optional.ofNullable(storage.driver),
                Optional.ofNullable(storage.storageConf));
        Path path = socket.resolve();
        ServerOptions options = ServerRunner.options(path, overrides, new LinkedHashSet<>(allowUids),
                new LinkedHashSet<>(allowGids), inlineThreshold, maxFdsPerSendmsg, limits);
        return ServerRunner.runUntilStopped(options, dropPrivileges);
    }
}
