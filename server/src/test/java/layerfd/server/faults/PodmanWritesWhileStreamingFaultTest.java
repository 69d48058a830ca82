package layerfd.server.faults;

import static layerfd.server.testing.JavaClient.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import layerfd.protocol.Methods;
import layerfd.protocol.jsonrpc.ErrorCodes;
import layerfd.protocol.jsonrpc.Response;
import layerfd.server.store.Fixtures;
import layerfd.server.store.StoreLocation;
import layerfd.server.testing.JavaClient;
import layerfd.server.testing.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Podman writing to the store (tag, untag, load from an archive, rmi) in a loop while many clients stream
 * (docs/faults.md "podman writes while clients stream"). Defined outcome: podman's every command succeeds (layerfd's
 * shared locks are short-held, so podman never waits them out); every stream of a layer that stays in the store
 * completes byte-exact; a stream of the image podman keeps removing and loading back either completes byte-exact or
 * fails with a not-found code naming what is gone; nothing is ever corrupt; the server's fds return to the baseline
 * and the layers podman kept are untouched.
 */
class PodmanWritesWhileStreamingFaultTest {
    private static final int CLIENTS = 8;
    private static final long WRITE_LOOP_MILLIS = 20_000;
    /** The reasons a stream of the image podman removes and loads back may fail with; anything else is a defect. */
    private static final Set<Integer> GONE = Set.of(ErrorCodes.IMAGE_NOT_FOUND, ErrorCodes.LAYER_NOT_FOUND,
            ErrorCodes.FILE_MISSING_FROM_LAYER);

    @TempDir
    Path dir;

    @Test
    void streamsStayByteExactAndPodmanNeverFailsWhilePodmanWritesInALoop() throws Exception {
        StoreLocation store = Podman.copyOf(Fixtures.ROOT_OVERLAY, dir);
        Podman podman = new Podman(store);
        List<KnownLayer> kept = KnownLayer.ofImage(store, Fixtures.BASE);
        Map<String, KnownLayer> churned = KnownLayer.ofImage(store, Fixtures.IMPORTED).stream()
                .collect(Collectors.toMap(KnownLayer::id, layer -> layer));
        Path archive = dir.resolve("imported.tar");
        podman.ok("save", "--format", "oci-archive", "-o", archive.toString(), Fixtures.IMPORTED);
        Map<String, String> keptBefore = UntouchedLayers.of(store, kept);

        StreamTally keptStreams = new StreamTally();
        StreamTally churnedStreams = new StreamTally();
        AtomicBoolean writing = new AtomicBoolean(true);
        int rounds;
        try (ServerProcess server = ServerProcess.start(dir.resolve("layerfd.sock"), store)) {
            try (JavaClient warm = JavaClient.connect(server.socket())) {
                // The first store request opens the lock files the server keeps for good (docs/storage.md).
                warm.result(Methods.GET_IMAGE, params(Methods.Params.IMAGE_ID, Fixtures.BASE));
            }
            int baseline = server.settleFds(0);
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                running.add(clients.submit(() -> {
                    try (JavaClient client = JavaClient.connect(server.socket())) {
                        while (writing.get()) {
                            for (KnownLayer layer : kept) {
                                LayerStreamCheck.stream(client, layer, keptStreams);
                            }
                            streamChurned(client, churned, churnedStreams);
                        }
                    }
                    return null;
                }));
            }
            rounds = writeLoop(podman, archive);
            writing.set(false);
            for (Future<?> client : running) {
                client.get(2, TimeUnit.MINUTES);
            }
            clients.shutdown();
            assertEquals(baseline, server.settleFds(baseline), "server fds back to the baseline:\n" + server.log());
            assertEquals(0, server.stop(), server.log());
        }
        List<Podman.Run> failedPodman = podman.runs().stream().filter(r -> !r.ok()).toList();
        assertEquals(List.of(), failedPodman, "every podman command succeeds while layerfd serves");
        assertEquals(List.of(), keptStreams.corruptStreams());
        assertEquals(List.of(), churnedStreams.corruptStreams());
        assertEquals(0, keptStreams.failedCount(), "layers podman kept always stream: " + keptStreams);
        assertTrue(keptStreams.completedCount() >= CLIENTS * kept.size(), keptStreams.toString());
        for (String reason : churnedStreams.failures().keySet()) {
            int code = Integer.parseInt(reason.substring(0, reason.indexOf(' ')));
            assertTrue(GONE.contains(code), "an allowed reason: " + reason);
        }
        assertEquals(keptBefore, UntouchedLayers.of(store, kept), "the layers podman kept are untouched");
        podman.ok("image", "exists", Fixtures.BASE);
        System.out.println("FIGURES podman-writes: rounds=" + rounds + " podmanRuns=" + podman.runs().size()
                + " kept[" + keptStreams + "] churned[" + churnedStreams + "]");
    }

    /** tag, untag, rmi, load: one round of podman writes per iteration until the time is up; returns the rounds. */
    private static int writeLoop(Podman podman, Path archive) throws Exception {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WRITE_LOOP_MILLIS);
        int round = 0;
        while (System.nanoTime() < end) {
            String tag = "localhost/layerfd/loop:" + round;
            podman.ok("tag", Fixtures.IMPORTED, tag);
            podman.ok("untag", Fixtures.IMPORTED, tag);
            podman.ok("rmi", Fixtures.IMPORTED);
            podman.ok("load", "-q", "-i", archive.toString());
            round++;
        }
        return round;
    }

    /**
     * The image podman keeps removing: GetImage, then each of its layers. Its layers come back under the same ids
     * after every load (layer ids are chain ids), so {@code known} says what each must rebuild to.
     */
    private static void streamChurned(JavaClient client, Map<String, KnownLayer> known, StreamTally tally)
            throws Exception {
        JsonNode layerIds;
        try (Response image = client.call(Methods.GET_IMAGE, params(Methods.Params.IMAGE_ID, Fixtures.IMPORTED))) {
            if (image.isError()) {
                tally.failed(image.error().code() + " GetImage: " + image.error().message());
                return;
            }
            layerIds = image.result().get(Methods.Results.LAYER_DIGESTS);
        }
        for (JsonNode id : layerIds) {
            KnownLayer layer = known.get(id.textValue());
            if (layer == null) {
                tally.corrupt("GetImage named a layer the image never had: " + id.textValue());
                continue;
            }
            LayerStreamCheck.stream(client, layer, tally);
        }
    }
}
