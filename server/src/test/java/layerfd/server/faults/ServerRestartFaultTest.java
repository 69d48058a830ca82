package layerfd.server.faults;

import static layerfd.server.testing.JavaClient.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import layerfd.protocol.Methods;
import layerfd.server.store.Fixtures;
import layerfd.server.store.StoreFingerprint;
import layerfd.server.store.StoreLocation;
import layerfd.server.testing.JavaClient;
import layerfd.server.testing.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server killed (SIGKILL) and restarted on the same socket path while clients stream and retry (docs/faults.md
 * "server killed and restarted"). Defined outcome: a stream whose response arrived completes byte-exact even after
 * the server died (the fds stay valid without it); a stream cut off by the kill fails with an I/O error and the
 * client retries it on a new connection; the restarted server replaces the stale socket file the killed one left;
 * after the clients leave, the last server's fds are back at its baseline; the store is byte-for-byte unchanged.
 */
class ServerRestartFaultTest {
    private static final int CLIENTS = 4;
    /** Each client streams at least this many, and goes on until the last restart. */
    private static final int MIN_STREAMS_PER_CLIENT = 60;
    private static final int KILLS = 3;
    private static final long BETWEEN_KILLS_MILLIS = 1500;
    /** A client's pause before it tries to connect again. */
    private static final long RETRY_PAUSE_MILLIS = 50;
    /** A client gives up (and the test fails) after this long without a server. */
    private static final long RETRY_FOR_MILLIS = 60_000;

    @TempDir
    Path dir;

    private volatile ServerProcess server;
    /** While true the test is between a kill and a restart (and measuring the last server's baseline). */
    private volatile boolean down;
    /** Set after the last restart: clients stop once they have streamed their minimum. */
    private volatile boolean restartsDone;

    @Test
    void clientsThatRetryCompleteEveryStreamByteExactAcrossKillsAndRestarts() throws Exception {
        StoreLocation store = Fixtures.copy(Fixtures.ROOT_OVERLAY, dir);
        List<KnownLayer> layers = KnownLayer.ofImage(store, Fixtures.BASE);
        Map<String, String> storeBefore = StoreFingerprint.of(store.graphRoot());
        Path socket = dir.resolve("layerfd.sock");
        server = ServerProcess.start(socket, store);

        StreamTally tally = new StreamTally();
        AtomicInteger retries = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            running.add(clients.submit(() -> {
                streamWithRetries(socket, layers, tally, retries);
                return null;
            }));
        }
        int baseline = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            Thread.sleep(BETWEEN_KILLS_MILLIS);
            down = true;
            server.close(); // SIGKILL: no cleanup, the socket file stays behind
            server = ServerProcess.start(socket, store);
            if (kill == KILLS - 1) {
                try (JavaClient warm = JavaClient.connect(socket)) {
                    // The first store request opens the lock files the server keeps for good (docs/storage.md).
                    warm.result(Methods.GET_IMAGE, params(Methods.Params.IMAGE_ID, Fixtures.BASE));
                }
                baseline = server.settleFds(0);
            }
            down = false;
        }
        restartsDone = true;
        for (Future<?> client : running) {
            client.get(3, TimeUnit.MINUTES);
        }
        clients.shutdown();
        try (ServerProcess last = server) {
            assertEquals(baseline, last.settleFds(baseline), "the last server's fds back to its baseline");
            assertEquals(0, last.stop(), last.log());
        }
        assertEquals(List.of(), tally.corruptStreams());
        assertTrue(tally.completedCount() >= CLIENTS * MIN_STREAMS_PER_CLIENT, tally.toString());
        assertEquals(0, tally.failedCount(), "no server error, only cut connections: " + tally);
        // Every client is connected when a kill comes, so each kill cuts at least one of them off.
        assertTrue(retries.get() >= KILLS, "the kills cut streams off (else this test proves nothing): " + retries);
        assertEquals(storeBefore, StoreFingerprint.of(store.graphRoot()), "the store is unchanged");
        System.out.println("FIGURES server-restart: kills=" + KILLS + " streams=" + tally + " retries=" + retries);
    }

    /** Streams the image's layers in turn until the restarts are done; a cut or refused connection is retried. */
    private void streamWithRetries(Path socket, List<KnownLayer> layers, StreamTally tally, AtomicInteger retries)
            throws Exception {
        JavaClient client = null;
        long givingUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_FOR_MILLIS);
        int done = 0;
        try {
            while (!restartsDone || done < MIN_STREAMS_PER_CLIENT) {
                try {
                    if (client == null) {
                        while (down) {
                            Thread.sleep(RETRY_PAUSE_MILLIS);
                        }
                        client = JavaClient.connect(socket);
                    }
                    LayerStreamCheck.stream(client, layers.get(done % layers.size()), tally);
                    done++;
                    givingUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_FOR_MILLIS);
                } catch (IOException cut) {
                    if (System.nanoTime() > givingUp) {
                        throw new AssertionError("no server for " + RETRY_FOR_MILLIS + " ms", cut);
                    }
                    retries.incrementAndGet();
                    if (client != null) {
                        client.close();
                        client = null;
                    }
                    Thread.sleep(RETRY_PAUSE_MILLIS);
                }
            }
        } finally {
            if (client != null) {
                client.close();
            }
        }
    }
}
