package layerfd.client.objects;

import static layerfd.client.objects.StoreFixtures.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import layerfd.client.apply.LayerSource;
import layerfd.client.testing.FdLeakCheck;
import layerfd.client.testing.TarSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Imports running at once into one repository: every object is written once, every document is whole. */
@ExtendWith(FdLeakCheck.class)
class ConcurrentImportTest {
    private static final int IMPORTS = 4;
    private static final int SHARED_FILES = 20;

    @TempDir
    Path work;

    @Test
    void fourImportsOfOverlappingImagesAtOnceLeaveACleanStore() throws Exception {
        ObjectStore store = ObjectStore.at(work.resolve("repo"));
        List<List<LayerSource>> images = new ArrayList<>();
        for (int i = 0; i < IMPORTS; i++) {
            TarSpec spec = TarSpec.pax();
            for (int f = 0; f < SHARED_FILES; f++) {
                spec.file("shared-" + f, data(100 + f, 6000));
            }
            spec.file("own", data(200 + i, 6000));
            images.add(StoreFixtures.layers(work, spec));
        }
        CyclicBarrier start = new CyclicBarrier(IMPORTS);
        List<ImportStatistics> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(IMPORTS)) {
            List<Future<ImportStatistics>> futures = new ArrayList<>();
            for (int i = 0; i < IMPORTS; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return store.importImage(StoreFixtures.image(StoreFixtures.imageId((char) ('a' + n)), 1),
                            images.get(n), ImportOptions.defaults());
                }));
            }
            for (Future<ImportStatistics> f : futures) {
                results.add(f.get());
            }
        }

        long created = results.stream().mapToLong(ImportStatistics::newObjects).sum();
        assertEquals(SHARED_FILES + IMPORTS, created, "each object was written by exactly one import: " + results);
        for (ImportStatistics r : results) {
            assertEquals(SHARED_FILES + 1, r.newObjects() + r.presentObjects(), r.summary());
        }
        FsckReport report = store.fsck(ImagePresence.UNKNOWN);
        assertTrue(report.ok(), report.toText());
        assertEquals(IMPORTS, report.images().size());
        assertEquals(SHARED_FILES + IMPORTS, report.objectsChecked());
        assertEquals(List.of(), report.strayFiles());
        assertEquals(List.of(), report.unreferencedObjects());
    }

    @Test
    void repairOfACleanStoreDeletesAndReimportsNothing() throws IOException {
        ObjectStore store = ObjectStore.at(work.resolve("repo"));
        String id = StoreFixtures.imageId('r');
        store.importImage(StoreFixtures.image(id, 1), StoreFixtures.layers(work, TarSpec.pax().file("x", "x")),
                ImportOptions.defaults());

        RepairReport nothingToDo = store.repair(store.fsck(ImagePresence.UNKNOWN), imageId -> {
            throw new AssertionError("nothing needs re-importing");
        }, ImportOptions.defaults(), ImagePresence.UNKNOWN);

        assertTrue(nothingToDo.ok());
        assertEquals(List.of(), nothingToDo.deletedObjects());
        assertEquals(List.of(), nothingToDo.reimported());
    }
}
