package layerfd.client.objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import layerfd.client.ReflinkPolicy;
import layerfd.client.apply.ApplyException;
import layerfd.client.apply.LayerInput;
import layerfd.client.apply.LayerSource;
import layerfd.client.testing.Extents;
import layerfd.client.testing.FdLeakCheck;
import layerfd.client.testing.LoopFilesystem;
import layerfd.client.testing.Processes;
import layerfd.client.testing.ServerSplit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Objects are reflinked from the received descriptors on filesystems that share extents (XFS), and the policy chain
 * decides on those that cannot (ext4): real loop-mounted filesystems, real extents (FIEMAP via filefrag).
 */
@ExtendWith(FdLeakCheck.class)
class ReflinkStoreTest {
    private static final int BIG_BYTES = 16 * 1024 * 1024;
    /** Free space may move by metadata (logs, inodes, directory blocks), never by the file's size. */
    private static final long METADATA_SLACK_BYTES = 4L * 1024 * 1024;
    private static final String WRITE_TAR = """
            import io, os, sys, tarfile
            with tarfile.open(sys.argv[1], 'w', format=tarfile.PAX_FORMAT) as t:
                ti = tarfile.TarInfo('big'); ti.size = int(sys.argv[2]); ti.mode = 0o644; ti.mtime = 1600000000
                t.addfile(ti, io.BytesIO(os.urandom(ti.size)))
                ti = tarfile.TarInfo('small'); data = b'small file'; ti.size = len(data)
                t.addfile(ti, io.BytesIO(data))
            """;

    @TempDir
    Path work;

    /** One layer whose big file is an external file on {@code fs}; each opening cuts the tar anew. */
    private LayerSource layerOn(Path fs) throws IOException {
        Path tar = work.resolve("layer.tar");
        Processes.python(WRITE_TAR, new byte[0], tar.toString(), Integer.toString(BIG_BYTES));
        return new LayerSource("big-layer", () -> {
            Path dir = Files.createTempDirectory(fs, "split");
            return LayerInput.of(ServerSplit.split(tar, dir, ServerSplit.SERVER_INLINE_THRESHOLD, ServerSplit.WHOLE)
                    .pieces());
        });
    }

    private static Path external(Path fs) throws IOException {
        return externals(fs).getFirst();
    }

    /** The big file of every cut of the layer made on {@code fs}. */
    private static List<Path> externals(Path fs) throws IOException {
        try (var s = Files.list(fs)) {
            return s.filter(p -> p.getFileName().toString().startsWith("split")).map(d -> d.resolve("external-0"))
                    .toList();
        }
    }

    @Test
    void onXfsObjectsShareExtentsWithTheReceivedFilesAndCostNoSpace() throws IOException {
        try (LoopFilesystem xfs = LoopFilesystem.mount(LoopFilesystem.Type.XFS)) {
            LayerSource layer = layerOn(xfs.root());
            ObjectStore store = ObjectStore.at(xfs.root().resolve("repo"));
            String id = StoreFixtures.imageId('x');
            // Cut the layer once up front, so the free-space baseline already holds the source file.
            try (LayerInput warmUp = layer.opener().open()) {
                assertTrue(warmUp.next() != null);
            }
            long before = xfs.freeBytes();

            ImportStatistics stats = store.importImage(StoreFixtures.image(id, 1), List.of(layer),
                    ImportOptions.defaults().withReflinkPolicy(ReflinkPolicy.ENABLED));

            long after = xfs.freeBytes();
            String digest = StoreFixtures.digests(StoreFixtures.document(store, id)).getFirst();
            Path object = store.objectPath(digest);
            assertEquals(BIG_BYTES, stats.bytesReflinked(), stats.summary());
            assertEquals(0, stats.bytesCopied(), stats.summary());
            assertEquals(1, stats.newObjects());
            // The layer was cut a second time for the import: that copy (BIG_BYTES) is the only real allocation.
            long spent = before - after - BIG_BYTES;
            System.out.println("EVIDENCE XFS enabled: free " + before / 1024 + " -> " + after / 1024
                    + " KiB (source copy " + BIG_BYTES / 1024 + " KiB); object extents " + Extents.flags(object));
            assertTrue(spent < METADATA_SLACK_BYTES, "the object cost " + spent + " bytes beyond its source");
            assertTrue(Extents.allShared(object), "object extents " + Extents.flags(object));
            List<Path> sources = externals(xfs.root());
            assertEquals(2, sources.size());
            assertEquals(1, sources.stream().filter(Extents::allShared).count(),
                    "the import's source file shares its extents with the object; the warm-up copy does not");
            assertEquals(digest, FsVerityDigest.of(Files.readAllBytes(object)));
        }
    }

    @Test
    void enabledOnExt4FailsNamingTheFileAndTheReasonAndLeavesNoDocument() throws IOException {
        try (LoopFilesystem ext4 = LoopFilesystem.mount(LoopFilesystem.Type.EXT4)) {
            ObjectStore store = ObjectStore.at(ext4.root().resolve("repo"));
            String id = StoreFixtures.imageId('e');

            ObjectStoreException e = assertThrows(ObjectStoreException.class, () -> store.importImage(
                    StoreFixtures.image(id, 1), List.of(layerOn(ext4.root())),
                    ImportOptions.defaults().withReflinkPolicy(ReflinkPolicy.ENABLED)));

            assertEquals("image " + id + ": layer 1 of 1 (big-layer): entry 'big': cannot reflink (EOPNOTSUPP): the "
                    + "destination filesystem cannot share extents; the reflink policy is 'enabled', which does not "
                    + "copy (use 'enabled-with-copy' to copy instead)", e.getMessage());
            assertEquals(ApplyException.Reason.REFLINK_REFUSED,
                    assertInstanceOf(ApplyException.class, e.getCause()).reason());
            assertFalse(Files.exists(store.documentPath(id)));
            FsckReport report = store.fsck(ImagePresence.UNKNOWN);
            assertEquals(0, report.objectsChecked());
            assertEquals(List.of(), report.strayFiles(), "the temporary object was removed");
        }
    }

    @Test
    void enabledWithCopyOnExt4CopiesTheBytes() throws IOException {
        try (LoopFilesystem ext4 = LoopFilesystem.mount(LoopFilesystem.Type.EXT4)) {
            ObjectStore store = ObjectStore.at(ext4.root().resolve("repo"));
            String id = StoreFixtures.imageId('c');

            ImportStatistics stats = store.importImage(StoreFixtures.image(id, 1), List.of(layerOn(ext4.root())),
                    ImportOptions.defaults().withReflinkPolicy(ReflinkPolicy.ENABLED_WITH_COPY));

            assertEquals(0, stats.bytesReflinked());
            assertEquals(BIG_BYTES, stats.bytesCopied());
            assertEquals(10, stats.bytesInlined());
            Path object = store.objectPath(StoreFixtures.digests(StoreFixtures.document(store, id)).getFirst());
            assertEquals(-1, Files.mismatch(object, external(ext4.root())));
            assertTrue(store.fsck(ImagePresence.UNKNOWN).ok());
        }
    }
}
