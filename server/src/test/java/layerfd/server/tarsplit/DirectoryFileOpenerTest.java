package layerfd.server.tarsplit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import layerfd.linux.Fcntl;
import layerfd.linux.FileIo;
import layerfd.linux.OwnedFd;
import layerfd.testing.OpenFds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class DirectoryFileOpenerTest {
    @TempDir
    Path root;
    private Path layer;
    private DirectoryFileOpener opener;
    private int fdsBefore;

    @BeforeEach
    void layerWithOneFile() throws IOException {
        fdsBefore = OpenFds.count();
        layer = Files.createDirectories(root.resolve("diff"));
        Files.createDirectories(layer.resolve("etc"));
        Files.writeString(layer.resolve("etc/hello"), "hello\n");
        Files.writeString(root.resolve("secret"), "outside the layer\n");
        opener = new DirectoryFileOpener(layer);
    }

    @AfterEach
    void closeAndCountFds() throws InterruptedException {
        opener.close();
        opener.close();
        assertEquals(fdsBefore, OpenFds.settle(fdsBefore), "open descriptors after the test");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void opensRegularFileReadOnlyCloseOnExecWhateverTheLeadingPrefix() throws IOException {
        for (String name : new String[] {"./etc/hello", "/etc/hello", "etc//hello", "etc/./hello"}) {
            try (OwnedFd fd = opener.open(bytes(name))) {
                assertEquals(6, FileIo.stat(fd.get()).size(), name);
                assertTrue(Fcntl.isCloseOnExec(fd.get()), name);
                assertEquals(layerfd.linux.Open.O_RDONLY, Fcntl.accessMode(fd.get()), name);
            }
        }
    }

    @Test
    void missingFileIsNoSuchFileNamingTheDirectory() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> opener.open(bytes("./etc/nope")));
        assertEquals("./etc/nope", e.getFile());
        assertTrue(e.getMessage().contains(layer.toString()), e.getMessage());
    }

    @Test
    void fileInPlaceOfADirectoryIsNoSuchFile() {
        assertThrows(NoSuchFileException.class, () -> opener.open(bytes("etc/hello/x")));
    }

    @Test
    void symlinkedParentDirectoryIsRefused() throws IOException {
        Files.createSymbolicLink(layer.resolve("up"), root);
        UnsafeLayerPathException e = assertThrows(UnsafeLayerPathException.class,
                () -> opener.open(bytes("./up/secret")));
        assertTrue(e.getMessage().contains("./up/secret") && e.getMessage().contains("symlink"), e.getMessage());
    }

    @Test
    void symlinkedParentInsideTheLayerIsRefusedToo() throws IOException {
        Files.createSymbolicLink(layer.resolve("etc2"), Path.of("etc"));
        assertThrows(UnsafeLayerPathException.class, () -> opener.open(bytes("etc2/hello")));
    }

    @Test
    void symlinkAsTheFileItselfIsRefused() throws IOException {
        Files.createSymbolicLink(layer.resolve("link"), root.resolve("secret"));
        assertThrows(UnsafeLayerPathException.class, () -> opener.open(bytes("link")));
    }

    @Test
    void dotDotIsRefusedLexically() {
        UnsafeLayerPathException e = assertThrows(UnsafeLayerPathException.class,
                () -> opener.open(bytes("../secret")));
        assertTrue(e.getMessage().contains("\"..\""), e.getMessage());
    }

    @Test
    void directoryIsNotARegularFile() {
        TarSplitIntegrityException e = assertThrows(TarSplitIntegrityException.class,
                () -> opener.open(bytes("./etc")));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void fifoWhereAFileShouldBeDoesNotBlockAndIsRefused() throws Exception {
        Process mkfifo = new ProcessBuilder("mkfifo", layer.resolve("fifo").toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor());
        TarSplitIntegrityException e = assertThrows(TarSplitIntegrityException.class,
                () -> opener.open(bytes("fifo")));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    }

    @Test
    void nonUtf8NameIsOpenedByteExact() throws IOException {
        byte[] name = {'e', 't', 'c', '/', 'c', 'a', 'f', (byte) 0xe9};
        RawNames.write(layer, name, bytes("latin-1"));
        try (OwnedFd fd = opener.open(name)) {
            assertEquals(7, FileIo.stat(fd.get()).size());
        }
    }
}
