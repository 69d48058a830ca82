package layerfd.server.store;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import layerfd.linux.FileIo;
import layerfd.linux.Fcntl;
import layerfd.linux.OwnedFd;
import java.nio.file.NoSuchFileException;
import layerfd.server.tarsplit.LayerFileOpener;
import layerfd.server.tarsplit.TarSplitIntegrityException;
import layerfd.server.tarsplit.UnsafeLayerPathException;
import layerfd.testing.OpenFds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening layer files by tar-split name on the real fixture stores: name cleaning, non-UTF-8 names, the lower chain,
 * and every refusal (symlinks, "..", non-regular files, diffs in additional layer stores).
 */
class LayerFilesTest {
    @TempDir
    Path tmp;

    /** Base's layers in a store, base first: L1 rich content, L2 whiteouts, L3 re-added file. */
    private static List<LayerRecord> baseLayers(StoreSnapshot s) throws StoreException {
        return s.imageLayers(s.resolveImage(Fixtures.BASE));
    }

    private static byte[] read(LayerContent content, String name) throws Exception {
        return read(content.files(), name.getBytes(UTF_8));
    }

    private static byte[] read(LayerFileOpener files, byte[] name) throws Exception {
        try (OwnedFd fd = files.open(name)) {
            assertTrue(Fcntl.isCloseOnExec(fd.get()), "opened close-on-exec");
            assertEquals(Fcntl.O_RDONLY, Fcntl.accessMode(fd.get()), "opened read-only");
            return FdContent.read(fd);
        }
    }

    @Test
    void namesWithDotSlashSlashOrNothingOpenTheSameFile() throws Exception {
        Store store = Store.open(Fixtures.location(Fixtures.ROOT_OVERLAY));
        try (StoreSnapshot s = store.readLocked(); LayerContent l1 = s.openLayer(baseLayers(s).getFirst())) {
            for (String name : List.of("./etc/hello", "etc/hello", "/etc/hello", ".//etc/./hello")) {
                assertArrayEquals("hello\n".getBytes(UTF_8), read(l1, name), name);
            }
            assertEquals(4096, read(l1, "./data/4096").length);
            assertEquals(4097, read(l1, "./data/4097").length);
            assertEquals(0, read(l1, "./etc/empty").length);
            assertEquals("root:*:19000:0:99999:7:::\n", new String(read(l1, "./etc/shadow"), UTF_8), "mode 0000");
            assertEquals("top secret\n", new String(read(l1, "./home/user/secret"), UTF_8), "0600 in a 0700 dir");
        }
    }

    @Test
    void nonUtf8AndLongNamesOpenByTheirBytes() throws Exception {
        for (String store : List.of(Fixtures.ROOT_OVERLAY, Fixtures.ROOTLESS_VFS)) {
            try (StoreSnapshot s = Store.open(Fixtures.location(store)).readLocked();
                 LayerContent l1 = s.openLayer(baseLayers(s).getFirst())) {
                byte[] latin1 = "./names/caf\u00e9.txt".getBytes(ISO_8859_1);
                assertArrayEquals("latin-1 name\n".getBytes(UTF_8), read(l1.files(), latin1), store);
                assertEquals("utf-8 name\n", new String(read(l1, "./names/\u00fcnicode-\u2603.txt"), UTF_8));
                assertEquals("gnu long name\n",
                        new String(read(l1, "./long/" + "g".repeat(140) + "/gnu-long-name.txt"), UTF_8));
                assertEquals("pax long name\n", new String(read(l1, "./long/" + "p".repeat(200) + ".txt"), UTF_8));
            }
        }
    }

    @Test
    void overlayLookupFallsBackThroughTheLowerChainNearestFirst() throws Exception {
        try (StoreSnapshot s = Store.open(Fixtures.location(Fixtures.ROOT_OVERLAY)).readLocked()) {
            List<LayerRecord> layers = baseLayers(s);
            try (LayerContent l3 = s.openLayer(layers.get(2))) {
                assertEquals(3, l3.contentDirectories().size(), "own diff plus two lower diffs");
                // etc/hello is not in L3's diff: L2's version (nearest) wins over L1's.
                assertEquals("hello again\n", new String(read(l3, "etc/hello"), UTF_8));
                assertEquals("1", new String(read(l3, "data/one"), UTF_8), "only L1 has it");
            }
        }
    }

    @Test
    void fileDeletedFromTheUpperDiffIsReadFromTheLowerLayer() throws Exception {
        StoreLocation copy = Fixtures.copy(Fixtures.AIS_BASE, tmp);
        try (StoreSnapshot s = Store.open(copy).readLocked()) {
            LayerRecord l3 = baseLayers(s).get(2);
            Files.delete(copy.graphRoot().resolve("overlay").resolve(l3.id()).resolve("diff/shared/same.txt"));
            try (LayerContent content = s.openLayer(l3)) {
                assertEquals("same content in L1 and L3\n", new String(read(content, "shared/same.txt"), UTF_8));
            }
        }
    }

    @Test
    void symlinkInAnyComponentIsRefusedEvenWhenItPointsIntoTheLayer() throws Exception {
        try (StoreSnapshot s = Store.open(Fixtures.location(Fixtures.ROOT_OVERLAY)).readLocked();
             LayerContent l1 = s.openLayer(baseLayers(s).getFirst())) {
            for (String name : List.of("etc/link", "etc/abs-link", "long/link-to-long")) {
                UnsafeLayerPathException e = assertThrows(UnsafeLayerPathException.class, () -> read(l1, name), name);
                assertTrue(e.getMessage().contains("symlink") && e.getMessage().contains(name), e.getMessage());
            }
        }
    }

    @Test
    void directoryReplacedBySymlinkToEtcCannotLeakHostFiles() throws Exception {
        StoreLocation copy = Fixtures.copy(Fixtures.AIS_BASE, tmp);
        try (StoreSnapshot s = Store.open(copy).readLocked()) {
            LayerRecord l1 = baseLayers(s).getFirst();
            Path data = copy.graphRoot().resolve("overlay").resolve(l1.id()).resolve("diff/data");
            Fixtures.run(tmp, "rm", "-rf", data.toString());
            Files.createSymbolicLink(data, Path.of("/etc"));
            try (LayerContent content = s.openLayer(l1)) {
                for (String name : List.of("data/4096", "data/passwd", "./data/hostname")) {
                    UnsafeLayerPathException e =
                            assertThrows(UnsafeLayerPathException.class, () -> read(content, name), name);
                    assertTrue(e.getMessage().contains("refusing"), e.getMessage());
                }
            }
        }
    }

    @Test
    void dotDotAndEmptyNamesAreRefusedBeforeTouchingTheDisk() throws Exception {
        try (StoreSnapshot s = Store.open(Fixtures.location(Fixtures.ROOT_OVERLAY)).readLocked();
             LayerContent l1 = s.openLayer(baseLayers(s).getFirst())) {
            for (String name : List.of("../../../../etc/passwd", "etc/../../x", "./", "/", "", "etc/..")) {
                UnsafeLayerPathException e = assertThrows(UnsafeLayerPathException.class, () -> read(l1, name), name);
                assertTrue(e.getMessage().startsWith("refusing tar-split name"), e.getMessage());
            }
        }
    }

    @Test
    void onlyRegularFilesAreReturnedNeverFifosDevicesWhiteoutsOrDirectories() throws Exception {
        try (StoreSnapshot s = Store.open(Fixtures.location(Fixtures.ROOT_OVERLAY)).readLocked()) {
            List<LayerRecord> layers = baseLayers(s);
            try (LayerContent l1 = s.openLayer(layers.get(0)); LayerContent l2 = s.openLayer(layers.get(1))) {
                for (String name : List.of("dev/fifo", "dev/null-like", "etc")) {
                    TarSplitIntegrityException e =
                            assertThrows(TarSplitIntegrityException.class, () -> read(l1, name), name);
                    assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
                }
                // L2's whiteout for etc/empty is a 0:0 character device in the overlay diff: no such device.
                assertThrows(java.io.IOException.class, () -> read(l2, "etc/empty"));
            }
        }
    }

    @Test
    void fileInNoContentDirectoryIsNoSuchFileNamingTheLayer() throws Exception {
        try (StoreSnapshot s = Store.open(Fixtures.location(Fixtures.ROOT_OVERLAY)).readLocked();
             LayerContent l3 = s.openLayer(baseLayers(s).get(2))) {
            NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> read(l3, "no/such/file"));
            assertTrue(e.getMessage().contains("no/such/file") && e.getMessage().contains(l3.layer().id())
                    && e.getMessage().contains("3 content directories"), e.getMessage());
        }
    }

    @Test
    void diffThatIsAnAbsoluteSymlinkIsAnAdditionalLayerStoreAndNotStreamable() throws Exception {
        StoreLocation copy = Fixtures.copy(Fixtures.AIS_BASE, tmp);
        try (StoreSnapshot s = Store.open(copy).readLocked()) {
            LayerRecord l3 = baseLayers(s).get(2);
            Path diff = copy.graphRoot().resolve("overlay").resolve(l3.id()).resolve("diff");
            Fixtures.run(tmp, "rm", "-rf", diff.toString());
            Files.createSymbolicLink(diff, tmp.resolve("elsewhere"));
            StoreException e = assertThrows(StoreException.class, () -> s.openLayer(l3));
            assertEquals(StoreException.Kind.NOT_STREAMABLE, e.kind());
            assertTrue(e.getMessage().contains("additional layer store"), e.getMessage());
        }
    }

    @Test
    void lowerLinkPointingOutsideTheStoreIsRefusedWithoutFollowingIt() throws Exception {
        StoreLocation copy = Fixtures.copy(Fixtures.AIS_BASE, tmp);
        try (StoreSnapshot s = Store.open(copy).readLocked()) {
            LayerRecord l3 = baseLayers(s).get(2);
            String lower = Files.readString(copy.graphRoot().resolve("overlay").resolve(l3.id()).resolve("lower"));
            Path link = copy.graphRoot().resolve("overlay").resolve(lower.split(":")[0]);
            Files.delete(link);
            Files.createSymbolicLink(link, Path.of("../../../../../etc"));
            StoreException e = assertThrows(StoreException.class, () -> s.openLayer(l3));
            assertEquals(StoreException.Kind.IO_OR_INTEGRITY, e.kind());
            assertTrue(e.getMessage().contains("not ../<layer id>/diff"), e.getMessage());
        }
    }

    @Test
    void lowerChainCrossesIntoTheAdditionalImageStore() throws Exception {
        try (StoreSnapshot s = Store.open(Fixtures.location(Fixtures.WITH_AIS)).readLocked()) {
            List<LayerRecord> layers = s.imageLayers(s.resolveImage(Fixtures.DERIVED));
            assertEquals(4, layers.size());
            try (LayerContent top = s.openLayer(layers.get(3))) {
                Path aisRoot = Fixtures.location(Fixtures.AIS_BASE).graphRoot();
                assertTrue(top.contentDirectories().subList(1, 4).stream().allMatch(r -> r.startsWith(aisRoot)),
                        top.contentDirectories().toString());
                assertEquals("derived layer\n", new String(read(top, "derived/file"), UTF_8));
                assertEquals("hello again\n", new String(read(top, "etc/hello"), UTF_8));
            }
        }
    }

    @Test
    void rootlessVfsLayerIsAFullSnapshotReadableAsRoot() throws Exception {
        try (StoreSnapshot s = Store.open(Fixtures.location(Fixtures.ROOTLESS_VFS)).readLocked()) {
            List<LayerRecord> layers = baseLayers(s);
            try (LayerContent l3 = s.openLayer(layers.get(2))) {
                assertEquals(1, l3.contentDirectories().size(), "vfs has no lower chain");
                assertEquals("top secret\n", new String(read(l3, "home/user/secret"), UTF_8));
                assertEquals(1001, Files.getAttribute(l3.contentDirectories().getFirst().resolve("etc/shadow"),
                        "unix:uid"), "owned by the rootless user");
            }
        }
    }

    @Test
    void everyDescriptorIsClosedWithTheContentAndTheLockReleaseKeepsContentUsable() throws Exception {
        Store store = Store.open(Fixtures.location(Fixtures.ROOT_OVERLAY));
        try (StoreSnapshot warm = store.readLocked()) {
            assertFalse(warm.images().isEmpty()); // lock channels are opened once per process: open them first
        }
        int before = OpenFds.count();
        LayerContent content;
        try (StoreSnapshot s = store.readLocked()) {
            content = s.openLayer(baseLayers(s).get(2));
        }
        try (content; OwnedFd fd = content.files().open("etc/hello".getBytes(UTF_8));
             var in = content.openTarSplit()) {
            assertEquals("hello again\n".length(), FileIo.stat(fd.get()).size());
            assertEquals(0x1f, in.read(), "gzip magic");
            assertEquals(0x8b, in.read(), "gzip magic");
        }
        assertEquals(before, OpenFds.settle(before));
    }
}
