package layerfd.conformance.internal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A snapshot of this process's open fds (/proc/self/fd: number -> link target), to prove the runner leaked none of
 * what the peer sent or what it made itself. Compared as sets: the JVM opening and closing its own files (jars,
 * pollers) in between is neither a leak nor able to hide one.
 */
public record OpenFdTable(Map<Integer, String> fds) {
    private static final Path PROC_SELF_FD = Path.of("/proc/self/fd");
    /** Link targets of fds a jsonrpc-fdpass exchange creates: sockets, pipes, memfds. */
    private static final String[] EXCHANGE_KINDS = {"socket:", "pipe:", "/memfd:", "anon_inode:"};

    /** How long closes on other threads (a peer's connection ending) may take to show. */
    static final long SETTLE_MILLIS = 2000;
    private static final long SETTLE_STEP_MILLIS = 20;

    public OpenFdTable {
        fds = Map.copyOf(fds);
    }

    /**
     * The snapshot to compare against at the end of a run. The JDK creates one process-wide socket the first time
     * any socket channel is used (the NIO dispatcher's pre-close socket) and never closes it; a run that uses a
     * channel for the first time would show it as new. So one is opened and closed before taking the snapshot.
     */
    public static OpenFdTable baseline() throws IOException {
        SocketChannel.open(StandardProtocolFamily.UNIX).close();
        return snapshot();
    }

    public static OpenFdTable snapshot() throws IOException {
        Map<Integer, String> fds = new TreeMap<>();
        try (Stream<Path> entries = Files.list(PROC_SELF_FD)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                try {
                    fds.put(Integer.parseInt(entry.getFileName().toString()),
                            Files.readSymbolicLink(entry).toString());
                } catch (IOException closedMeanwhile) {
                    // The fd Files.list itself used, or one closed while listing: not open in the snapshot.
                }
            }
        }
        return new OpenFdTable(fds);
    }

    /**
     * Exchange-kind fds open now that were not open (with the same target) in {@code before}, after letting
     * connections that are ending on other threads finish closing (at most {@link #SETTLE_MILLIS}).
     */
    public static Map<Integer, String> leakedSince(OpenFdTable before) throws IOException, InterruptedException {
        Map<Integer, String> added = snapshot().newExchangeFdsSince(before);
        for (long waited = 0; !added.isEmpty() && waited < SETTLE_MILLIS; waited += SETTLE_STEP_MILLIS) {
            Thread.sleep(SETTLE_STEP_MILLIS);
            added = snapshot().newExchangeFdsSince(before);
        }
        return added;
    }

    /** Exchange-kind fds open now that were not open (with the same target) in {@code before}. */
    public Map<Integer, String> newExchangeFdsSince(OpenFdTable before) {
        Map<Integer, String> added = new TreeMap<>();
        fds.forEach((fd, target) -> {
            if (!target.equals(before.fds.get(fd)) && isExchangeKind(target)) {
                added.put(fd, target);
            }
        });
        return added;
    }

    private static boolean isExchangeKind(String target) {
        for (String kind : EXCHANGE_KINDS) {
            if (target.startsWith(kind)) {
                return true;
            }
        }
        return false;
    }
}
