package layerfd.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import layerfd.protocol.SocketPaths;
import layerfd.protocol.fdpass.FdpassOptions;
import layerfd.server.store.config.StoreOverrides;

/**
 * A server process without the CLI's dependencies, for tests that need a REAL server process:
 * {@code java -cp … layerfd.server.ServerMain --socket P --root G --runroot R --driver overlay}. Options are those
 * of {@code layerfd serve} (including the flag {@code --drop-privileges}) plus the limits. Exit 0 after SIGTERM, 1 on failure, 2 on a usage error.
 */
public final class ServerMain {
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    private ServerMain() {}

    public static void main(String[] args) {
        int status;
        try {
            status = run(args);
        } catch (IllegalArgumentException e) {
            System.err.println("layerfd server: " + e.getMessage());
            status = EXIT_USAGE;
        } catch (Exception e) {
            System.err.println("layerfd server: " + e.getMessage());
            status = EXIT_FAILED;
        }
        System.exit(status);
    }

    private static int run(String[] args) throws Exception {
        Path socket = SocketPaths.defaultSocket();
        Optional<Path> root = Optional.empty();
        Optional<Path> runRoot = Optional.empty();
        Optional<String> driver = Optional.empty();
        Optional<Path> storageConf = Optional.empty();
        Set<Long> uids = new LinkedHashSet<>();
        Set<Long> gids = new LinkedHashSet<>();
        long inlineThreshold = ServerOptions.DEFAULT_INLINE_THRESHOLD;
        int fdsPerSendmsg = FdpassOptions.DEFAULT_MAX_FDS_PER_SENDMSG;
        ServerLimits limits = ServerLimits.defaults();
        boolean dropPrivileges = false;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--drop-privileges")) {
                dropPrivileges = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--socket" -> socket = Path.of(value);
                case "--root" -> root = Optional.of(Path.of(value));
                case "--runroot" -> runRoot = Optional.of(Path.of(value));
                case "--driver" -> driver = Optional.of(value);
                case "--storage-conf" -> storageConf = Optional.of(Path.of(value));
                case "--allow-uid" -> uids.add(number(option, value));
                case "--allow-gid" -> gids.add(number(option, value));
                case "--inline-threshold" -> inlineThreshold = number(option, value);
                case "--max-fds-per-sendmsg" -> fdsPerSendmsg = (int) number(option, value);
                case "--max-connections" -> limits = limits.withMaxConnections((int) number(option, value));
                case "--max-streams" -> limits = limits.withMaxStreamsPerConnection((int) number(option, value));
                case "--max-fds-in-flight" -> limits = limits.withMaxFdsInFlightPerConnection(
                        (int) number(option, value));
                case "--max-fds-per-response" -> limits = limits.withMaxFdsPerResponse((int) number(option, value));
                case "--shutdown-grace-ms" -> limits = limits.withShutdownGrace(
                        Duration.ofMillis(number(option, value)));
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        ServerOptions options = ServerRunner.options(socket, new StoreOverrides(root, runRoot, driver, storageConf),
                uids, gids, inlineThreshold, fdsPerSendmsg, limits);
        return ServerRunner.runUntilStopped(options, dropPrivileges);
    }

    private static long number(String option, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, got '" + value + "'");
        }
    }
}
