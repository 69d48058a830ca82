package layerfd.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import layerfd.server.store.internal.LockFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The locking protocol against the kernel's view (/proc/locks) and against a real podman: shared POSIX locks on
 * every layers.lock and images.lock, one OS lock shared by all readers in the JVM, released on close; podman
 * waits for them; no lock file is ever created.
 */
class LockingTest {
    /** How long the test holds the locks while podman waits. */
    private static final long HOLD_MILLIS = 2000;
    /** Bound on podman's run once the locks are gone (it normally takes well under a second). */
    private static final long PODMAN_TIMEOUT_SECONDS = 120;

    @TempDir
    Path tmp;

    /** This process's entries in /proc/locks for the file: "POSIX ADVISORY READ|WRITE pid maj:min:inode ...". */
    private static List<String> kernelLocksOf(Path file) throws Exception {
        long inode = (Long) Files.getAttribute(file, "unix:ino");
        String pid = Long.toString(ProcessHandle.current().pid());
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/locks"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 6 && f[4].equals(pid) && f[5].endsWith(":" + inode)) {
                out.add(f[1] + " " + f[3]);
            }
        }
        return out;
    }

    private static List<Path> lockFiles(StoreLocation location) {
        List<Path> locks = new ArrayList<>();
        List<Path> roots = new ArrayList<>();
        roots.add(location.graphRoot());
        roots.addAll(location.additionalImageStores());
        for (Path root : roots) {
            locks.add(root.resolve(location.driver() + "-layers/layers.lock"));
            locks.add(root.resolve(location.driver() + "-images/images.lock"));
        }
        return locks;
    }

    @Test
    void snapshotHoldsOneSharedPosixLockPerLockFileAcrossAllStoresUntilClosed() throws Exception {
        StoreLocation location = Fixtures.location(Fixtures.WITH_AIS);
        Store store = Store.open(location);
        List<Path> locks = lockFiles(location);
        assertEquals(4, locks.size());
        StoreSnapshot a = store.readLocked();
        try (StoreSnapshot b = store.readLocked()) {
            assertFalse(a.images().isEmpty());
            assertFalse(b.images().isEmpty());
            for (Path lock : locks) {
                assertEquals(List.of("POSIX READ"), kernelLocksOf(lock), lock + ": one shared lock for two readers");
                assertEquals(2, LockFile.of(lock).holders());
            }
            a.close();
            a.close(); // idempotent: must not release the second reader's share
            for (Path lock : locks) {
                assertEquals(List.of("POSIX READ"), kernelLocksOf(lock), lock + ": still held by the second reader");
                assertEquals(1, LockFile.of(lock).holders());
            }
        }
        for (Path lock : locks) {
            assertEquals(List.of(), kernelLocksOf(lock), lock + ": released by the last reader");
            assertEquals(0, LockFile.of(lock).holders());
        }
    }

    @Test
    void closedSnapshotReadsNothingMoreFromDisk() throws Exception {
        StoreSnapshot s = Store.open(Fixtures.location(Fixtures.AIS_BASE)).readLocked();
        ImageRecord base = s.resolveImage(Fixtures.BASE);
        LayerRecord top = s.imageLayers(base).getLast();
        s.close();
        assertEquals(base.id(), s.resolveImage(Fixtures.BASE).id(), "records stay inspectable");
        assertThrows(IllegalStateException.class, () -> s.openLayer(top));
        assertThrows(IllegalStateException.class, () -> s.imageLayers(base));
        assertThrows(IllegalStateException.class, () -> s.manifest(base));
    }

    @Test
    void readersOnManyThreadsShareTheLockWithoutOverlappingFileLockErrors() throws Exception {
        Store store = Store.open(Fixtures.location(Fixtures.ROOT_OVERLAY));
        List<CompletableFuture<Integer>> readers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            readers.add(CompletableFuture.supplyAsync(() -> {
                int seen = 0;
                for (int round = 0; round < 50; round++) {
                    try (StoreSnapshot s = store.readLocked()) {
                        seen += s.images().size() > 0 ? 1 : 0;
                    } catch (StoreException e) {
                        throw new IllegalStateException(e);
                    }
                }
                return seen;
            }));
        }
        for (CompletableFuture<Integer> r : readers) {
            assertEquals(50, r.get(60, TimeUnit.SECONDS));
        }
        for (Path lock : lockFiles(store.location())) {
            assertEquals(List.of(), kernelLocksOf(lock));
        }
    }

    @Test
    void podmanTagWaitsForTheSharedLocksThenProceedsAndTheReaderSeesItsChange() throws Exception {
        StoreLocation copy = Fixtures.copy(Fixtures.AIS_BASE, tmp);
        Store store = Store.open(copy);
        Process podman;
        long started;
        try (StoreSnapshot s = store.readLocked()) {
            assertFalse(s.resolveImage(Fixtures.BASE).names().contains("localhost/layerfd/tagged:1"));
            started = System.nanoTime();
            podman = new ProcessBuilder("podman", "--root", copy.graphRoot().toString(), "--runroot",
                    copy.runRoot().toString(), "--storage-driver", copy.driver(), "--events-backend=none",
                    "tag", Fixtures.BASE, "localhost/layerfd/tagged:1")
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("podman.log").toFile()).start();
            Thread.sleep(HOLD_MILLIS);
            assertTrue(podman.isAlive(), "podman must still be waiting for our shared locks: "
                    + Files.readString(tmp.resolve("podman.log")));
        }
        try {
            assertTrue(podman.waitFor(PODMAN_TIMEOUT_SECONDS, TimeUnit.SECONDS), "podman finished after release");
        } finally {
            podman.destroyForcibly();
        }
        assertEquals(0, podman.exitValue(), Files.readString(tmp.resolve("podman.log")));
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(waitedMillis >= HOLD_MILLIS, "podman ran " + waitedMillis + " ms, so it waited for the locks");
        try (StoreSnapshot s = store.readLocked()) {
            // podman wrote a new token and images.json: the next snapshot reloads and sees the name.
            assertTrue(s.resolveImage(Fixtures.BASE).names().contains("localhost/layerfd/tagged:1"));
            assertEquals(s.resolveImage(Fixtures.BASE).id(), s.resolveImage("localhost/layerfd/tagged:1").id());
        }
    }

    @Test
    void missingLockFileIsAnErrorAndIsNotCreated() throws Exception {
        StoreLocation copy = Fixtures.copy(Fixtures.AIS_BASE, tmp);
        Path imagesLock = copy.graphRoot().resolve("overlay-images/images.lock");
        Files.delete(imagesLock);
        StoreException e = assertThrows(StoreException.class, () -> Store.open(copy));
        assertEquals(StoreException.Kind.IO_OR_INTEGRITY, e.kind());
        assertTrue(e.getMessage().contains(imagesLock.toString()) && e.getMessage().contains("does not exist"),
                e.getMessage());
        assertFalse(Files.exists(imagesLock), "the reader never creates a lock file");
    }
}
