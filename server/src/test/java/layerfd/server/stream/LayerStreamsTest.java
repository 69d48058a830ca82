package layerfd.server.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import layerfd.linux.Fcntl;
import layerfd.linux.FileIo;
import layerfd.linux.MemFd;
import layerfd.linux.OwnedFd;
import layerfd.server.store.Fixtures;
import layerfd.server.store.LayerContent;
import layerfd.server.store.LayerRecord;
import layerfd.server.store.Store;
import layerfd.server.store.StoreSnapshot;
import layerfd.server.testing.JavaClient;
import layerfd.testing.OpenFds;
import org.junit.jupiter.api.Test;

/** Stream building in process, on the fixture store's layers: threshold, fds' flags, seals, limits, no leaks. */
class LayerStreamsTest {
    /** Lets every file of the fixture travel inline (the 100 MiB big image is not read here). */
    private static final long EVERYTHING_INLINE = 1 << 20;

    private static List<LayerRecord> baseLayers() throws IOException {
        try (StoreSnapshot s = Store.open(Fixtures.location(Fixtures.ROOT_OVERLAY)).readLocked()) {
            return s.imageLayers(s.resolveImage(Fixtures.BASE));
        }
    }

    private static LayerContent open(LayerRecord layer) throws IOException {
        try (StoreSnapshot s = Store.open(Fixtures.location(Fixtures.ROOT_OVERLAY)).readLocked()) {
            return s.openLayer(layer);
        }
    }

    /** Unlimited budget: tests of the stream itself. */
    private static final FdReservation UNLIMITED = new FdReservation() {
        @Override
        public boolean tryReserve(int count) {
            return true;
        }

        @Override
        public void release(int count) {}

        @Override
        public String describe() {
            return "unlimited";
        }
    };

    @Test
    void everyThresholdRebuildsTheLayerByteExact() throws Exception {
        TreeSet<Integer> before = OpenFds.snapshot();
        for (LayerRecord layer : baseLayers()) {
            int previousExternals = Integer.MAX_VALUE;
            for (long threshold : List.of(0L, 4096L, EVERYTHING_INLINE)) {
                try (LayerContent content = open(layer);
                     HeldFiles files = new HeldFiles(layer.id(), Integer.MAX_VALUE, UNLIMITED)) {
                    BuiltStream built = LayerStreams.build(content, content.files(), threshold, files);
                    List<OwnedFd> fds = new ArrayList<>();
                    fds.add(built.memfd());
                    fds.addAll(files.take());
                    try {
                        assertEquals(layer.diffSize(), built.tarSize());
                        assertEquals(layer.diffDigest().orElseThrow(), JavaClient.reassemble(fds).sha256(),
                                "layer " + layer.id() + " threshold " + threshold);
                        assertTrue(built.externalFiles() <= previousExternals, "a higher threshold inlines more");
                        previousExternals = built.externalFiles();
                        if (threshold == EVERYTHING_INLINE) {
                            assertEquals(0, built.externalFiles());
                        }
                        for (OwnedFd fd : fds.subList(1, fds.size())) {
                            assertEquals(Fcntl.O_RDONLY, Fcntl.accessMode(fd.get()));
                            assertTrue(Fcntl.isCloseOnExec(fd.get()), "content fds are close-on-exec");
                        }
                    } finally {
                        fds.forEach(OwnedFd::close);
                    }
                }
            }
        }
        OpenFds.assertNoneNew(before, "building streams");
    }

    @Test
    void theMemfdIsNamedSealedCloseOnExecAndAtOffsetZero() throws Exception {
        LayerRecord layer = baseLayers().getFirst();
        try (LayerContent content = open(layer);
             HeldFiles files = new HeldFiles(layer.id(), Integer.MAX_VALUE, UNLIMITED);
             BuiltStream built = LayerStreams.build(content, content.files(), 4096, files)) {
            int fd = built.memfd().get();
            assertEquals("/memfd:" + LayerStreams.MEMFD_NAME + " (deleted)",
                    Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString());
            assertEquals(MemFd.IMMUTABLE_SEALS, Fcntl.seals(fd));
            assertTrue(Fcntl.isCloseOnExec(fd));
            assertEquals(built.streamSize(), FileIo.stat(fd).size());
            assertTrue(Files.readString(Path.of("/proc/self/fdinfo/" + fd)).startsWith("pos:\t0\n"));
        }
    }

    @Test
    void heldFilesStopAtTheirLimitsAndCloseWhatTheyHeld() throws Exception {
        LayerRecord layer = baseLayers().getFirst();
        TreeSet<Integer> before = OpenFds.snapshot();
        try (LayerContent content = open(layer);
             HeldFiles files = new HeldFiles(layer.id(), 1, UNLIMITED)) {
            LimitExceededException e = assertThrows(LimitExceededException.class,
                    () -> LayerStreams.build(content, content.files(), 0, files));
            assertTrue(e.getMessage().contains("OpenLayerStream") && e.getMessage().contains(layer.id()),
                    e.getMessage());
        }
        OpenFds.assertNoneNew(before, "a refused stream");
    }

    @Test
    void namedFilesOpenTheSameContentLater() throws Exception {
        LayerRecord layer = baseLayers().getFirst();
        NamedFiles named = new NamedFiles();
        try (LayerContent content = open(layer);
             BuiltStream built = LayerStreams.build(content, content.files(), 0, named)) {
            List<OwnedFd> fds = new ArrayList<>();
            fds.add(built.memfd().dup());
            for (int i = 0; i < named.count(); i++) {
                fds.add(named.open(i, content.files()));
            }
            try {
                assertEquals(layer.diffDigest().orElseThrow(), JavaClient.reassemble(fds).sha256());
            } finally {
                fds.forEach(OwnedFd::close);
            }
        }
    }
}
