package layerfd.server;

import static layerfd.server.testing.JavaClient.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import layerfd.linux.Errno;
import layerfd.linux.Fcntl;
import layerfd.linux.FileIo;
import layerfd.linux.LinuxException;
import layerfd.linux.MemFd;
import layerfd.linux.OwnedFd;
import layerfd.linux.Stat;
import layerfd.protocol.Methods;
import layerfd.protocol.jsonrpc.Response;
import layerfd.server.store.Fixtures;
import layerfd.server.store.LayerRecord;
import layerfd.server.store.Store;
import layerfd.server.store.StoreLocation;
import layerfd.server.store.StoreSnapshot;
import layerfd.server.testing.JavaClient;
import layerfd.server.testing.ServerProcess;
import layerfd.testing.OpenFds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a CLIENT holds after receiving the server's fds over a real socket (issue 9 "received fds are read-only and
 * close-on-exec"; docs/security.md "What an fd grants"), for every kind the server sends: the sealed stream memfd
 * (GetSplitFDStream, GetLayerSplitfdstream, OpenLayerStream) and the content files (the first two and
 * ReadLayerFiles). Every fd is close-on-exec in the client, a regular file (never a directory or O_PATH handle), and
 * cannot change the data: content files are O_RDONLY (write: EBADF), the memfd is sealed (write: EPERM).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReceivedFdsTest {
    /** The smallest window: ReadLayerFiles sends one content fd at a time. */
    private static final int WINDOW = 1;
    private ServerProcess server;
    private JavaClient client;
    private LayerRecord layer;

    @BeforeAll
    void startServer(@TempDir Path dir) throws Exception {
        StoreLocation location = Fixtures.location(Fixtures.ROOT_OVERLAY);
        try (StoreSnapshot s = Store.open(location).readLocked()) {
            layer = s.imageLayers(s.resolveImage(Fixtures.BASE)).getFirst();
        }
        server = ServerProcess.start(dir.resolve("layerfd.sock"), location);
        client = JavaClient.connect(server.socket());
    }

    @AfterAll
    void stopServer() throws Exception {
        client.close();
        assertEquals(0, server.stop(), server.log());
        server.close();
    }

    @Test
    void getSplitFdStreamFdsAreCloseOnExecAndCannotWrite() throws Exception {
        int before = OpenFds.count();
        try (Response response = client.call(Methods.GET_SPLIT_FD_STREAM, params("layerId", layer.id()))) {
            assertFalse(response.isError(), () -> String.valueOf(response.error()));
            assertTrue(response.fds().size() > 1, "the layer has external files");
            assertSealedStream(response.fds().getFirst());
            response.fds().subList(1, response.fds().size()).forEach(ReceivedFdsTest::assertReadOnlyContent);
        }
        assertEquals(before, OpenFds.settle(before), "every received fd closed with the response");
    }

    @Test
    void getLayerSplitfdstreamFdsAreCloseOnExecAndCannotWrite() throws Exception {
        try (Response response = client.call(Methods.GET_LAYER_SPLITFDSTREAM, params("layer", layer.id()))) {
            assertFalse(response.isError(), () -> String.valueOf(response.error()));
            assertSealedStream(response.fds().getFirst());
            response.fds().subList(1, response.fds().size()).forEach(ReceivedFdsTest::assertReadOnlyContent);
        }
    }

    @Test
    void windowedStreamFdsAreCloseOnExecAndCannotWrite() throws Exception {
        String stream;
        int files;
        try (Response open = client.call(Methods.OPEN_LAYER_STREAM, params("layer", layer.id(), "maxFds", WINDOW))) {
            assertFalse(open.isError(), () -> String.valueOf(open.error()));
            assertEquals(1, open.fds().size());
            assertSealedStream(open.fds().getFirst());
            stream = open.result().get("stream").textValue();
            files = open.result().get("files").intValue();
        }
        assertTrue(files >= WINDOW, "the layer has at least " + WINDOW + " external files, has " + files);
        try (Response window = client.call(Methods.READ_LAYER_FILES, params("stream", stream, "start", 0,
                "count", WINDOW))) {
            assertFalse(window.isError(), () -> String.valueOf(window.error()));
            assertEquals(WINDOW, window.fds().size());
            window.fds().forEach(ReceivedFdsTest::assertReadOnlyContent);
        }
        client.result(Methods.CLOSE_LAYER_STREAM, params("stream", stream));
    }

    private static void assertSealedStream(OwnedFd fd) {
        try {
            assertTrue(Fcntl.isCloseOnExec(fd.get()), "stream memfd close-on-exec in the client");
            assertTrue(FileIo.stat(fd.get()).isRegularFile(), "stream memfd is a regular file");
            assertEquals(MemFd.IMMUTABLE_SEALS, Fcntl.seals(fd.get()) & MemFd.IMMUTABLE_SEALS,
                    "sealed against write, shrink and grow");
            assertEquals(Errno.EPERM, writeErrno(fd), "a write to the sealed memfd");
        } catch (LinuxException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertReadOnlyContent(OwnedFd fd) {
        try {
            assertTrue(Fcntl.isCloseOnExec(fd.get()), "content fd close-on-exec in the client");
            assertEquals(Fcntl.O_RDONLY, Fcntl.accessMode(fd.get()), "content fd opened read-only");
            Stat stat = FileIo.stat(fd.get());
            assertTrue(stat.isRegularFile(), "content fd is a regular file, never a directory or O_PATH handle");
            assertFalse(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd.get())).toString().startsWith("/memfd:"),
                    "content comes from the store");
            assertEquals(Errno.EBADF, writeErrno(fd), "a write to a read-only content fd");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static int writeErrno(OwnedFd fd) {
        try (Arena arena = Arena.ofConfined()) {
            LinuxException e = assertThrows(LinuxException.class,
                    () -> FileIo.pwrite(fd.get(), arena.allocateFrom("x", StandardCharsets.US_ASCII), 0));
            return e.errno();
        }
    }
}
