package layerfd.server.rootless;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import layerfd.helper.HelperLaunch;
import layerfd.helper.HelperProtocol;
import layerfd.helper.UsernsHelper;
import layerfd.linux.OwnedFd;
import layerfd.server.store.Fixtures;
import layerfd.server.store.LayerContent;
import layerfd.server.store.LayerRecord;
import layerfd.server.store.Store;
import layerfd.server.store.StoreLocation;
import layerfd.server.store.StoreSnapshot;
import layerfd.server.tarsplit.AssemblyResult;
import layerfd.server.tarsplit.ExpectedLayer;
import layerfd.server.tarsplit.LayerAssembler;
import layerfd.server.tarsplit.UnsafeLayerPathException;
import layerfd.testing.OpenFds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server-side glue with a real helper process started directly (this JVM is root, so no podman is needed): every
 * layer of the overlay fixture stores (lower chains, an additional image store as a second graph root) rebuilds to
 * the same bytes through the helper as through direct access, and the prefetch window bounds the descriptors held.
 */
class HelperBackedStreamingTest {
    @ParameterizedTest
    @ValueSource(strings = {Fixtures.ROOT_OVERLAY, Fixtures.WITH_AIS})
    void everyLayerRebuildsIdenticallyThroughTheHelper(String fixture) throws Exception {
        StoreLocation location = Fixtures.location(fixture);
        List<LayerContent> contents = new ArrayList<>();
        Store store = Store.open(location);
        store.readLocked().close(); // the store keeps its lock files open for the process: not a leak
        int before = OpenFds.count();
        try (StoreSnapshot snapshot = store.readLocked()) {
            for (LayerRecord layer : snapshot.layers()) {
                contents.add(snapshot.openLayer(layer));
            }
        }
        try (ContentOpeners openers = ContentOpeners.withHelper(
                new UsernsHelper(HelperLaunch.direct(ContentOpeners.graphRoots(location))))) {
            assertTrue(openers.helperInUse());
            for (LayerContent content : contents) {
                try (content) {
                    LayerRecord layer = content.layer();
                    ByteArrayOutputStream direct = new ByteArrayOutputStream();
                    content.reassemble(direct);
                    ByteArrayOutputStream viaHelper = new ByteArrayOutputStream();
                    AssemblyResult result;
                    try (LayerFiles files = openers.opener(content)) {
                        result = new LayerAssembler(files).assemble(content.openTarSplit(), viaHelper,
                                new ExpectedLayer(layer.diffDigest(), layer.diffSize()));
                    }
                    assertEquals(direct.size(), viaHelper.size(), layer.id());
                    assertArrayEquals(direct.toByteArray(), viaHelper.toByteArray(), layer.id());
                    assertEquals(layer.diffSize(), result.size(), layer.id());
                }
            }
        }
        assertEquals(before, OpenFds.settle(before), "descriptors leaked");
    }

    @Test
    void directAccessWhenThisProcessCanBypassPermissions() throws Exception {
        // Tests run as root: the server must not start a helper at all.
        try (ContentOpeners openers = ContentOpeners.forStore(Fixtures.location(Fixtures.ROOT_OVERLAY))) {
            assertFalse(openers.helperInUse());
            assertTrue(openers.helper().isEmpty());
        }
    }

    @Test
    void prefetchHoldsAtMostOneWindowAndCloseReleasesIt() throws Exception {
        StoreLocation location = Fixtures.location(Fixtures.ROOT_OVERLAY);
        Store store = Store.open(location);
        LayerContent content;
        try (StoreSnapshot snapshot = store.readLocked()) {
            content = snapshot.openLayer(snapshot.imageLayers(snapshot.resolveImage(Fixtures.BASE)).getFirst());
        }
        byte[] hello = "./etc/hello".getBytes();
        List<byte[]> plan = Collections.nCopies(2 * HelperProtocol.MAX_NAMES_PER_REQUEST + 10, hello);
        try (content; UsernsHelper helper = new UsernsHelper(HelperLaunch.direct(ContentOpeners.graphRoots(location)))) {
            // Start the helper first so its own descriptors are not counted as the window.
            try (HelperFileOpener warm = new HelperFileOpener(helper, content.contentDirectories())) {
                warm.open(hello).close();
            }
            int before = OpenFds.count();
            HelperFileOpener opener = new HelperFileOpener(helper, content.contentDirectories());
            opener.prefetch(plan);
            try (OwnedFd first = opener.open(hello)) {
                int held = OpenFds.count() - before;
                assertEquals(HelperProtocol.MAX_NAMES_PER_REQUEST, held, "one window, the first fd handed out included");
            }
            opener.close();
            assertEquals(before, OpenFds.settle(before), "close releases the fds opened ahead");

            try (HelperFileOpener single = new HelperFileOpener(helper, content.contentDirectories())) {
                assertThrows(NoSuchFileException.class, () -> single.open("no/such/file".getBytes()));
                assertThrows(UnsafeLayerPathException.class, () -> single.open("../etc/passwd".getBytes()));
                assertThrows(UnsafeLayerPathException.class, () -> single.open("etc/link".getBytes()),
                        "a symlink in the layer is refused by the helper");
            }
            assertEquals(before, OpenFds.settle(before));
        }
    }
}
