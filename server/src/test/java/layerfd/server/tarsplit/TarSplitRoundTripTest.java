package layerfd.server.tarsplit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import layerfd.testing.OpenFds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real thing end to end: a tar (make_tars.py), its tar-split made by the real vbatts/tar-split exactly as
 * containers-storage makes it (the Go tool), the tar extracted by GNU tar, and LayerAssembler rebuilding the tar
 * from the tar-split and the extracted directory. The rebuilt bytes must be the original bytes.
 */
class TarSplitRoundTripTest {
    @TempDir
    Path work;
    private int fdsBefore;

    @BeforeEach
    void countFds() {
        fdsBefore = OpenFds.count();
    }

    @AfterEach
    void noFdLeaked() throws InterruptedException {
        assertEquals(fdsBefore, OpenFds.settle(fdsBefore), "open descriptors after the test");
    }

    private record Layer(Path tar, Path tarSplit, Path dir) {}

    private Layer layer(String name) throws IOException, InterruptedException {
        Path tar = ExternalTools.makeTar(name, work);
        Path tarSplit = work.resolve(name + ".tar-split.gz");
        ExternalTools.disassemble(tar, tarSplit);
        return new Layer(tar, tarSplit, ExternalTools.extract(tar, work.resolve(name)));
    }

    private static AssemblyResult assemble(Layer layer, OutputStream out, ExpectedLayer expected) throws IOException {
        try (DirectoryFileOpener opener = new DirectoryFileOpener(layer.dir());
             InputStream tarSplit = Files.newInputStream(layer.tarSplit())) {
            return new LayerAssembler(opener).assemble(tarSplit, out, expected);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"basic-pax", "basic-gnu", "gnu-long-names", "pax-long-names-xattrs", "unpadded",
        "trailing-garbage", "trailing-garbage-over-1mib"})
    void rebuiltTarIsByteIdenticalToTheOriginal(String name) throws Exception {
        Layer layer = layer(name);
        byte[] original = Files.readAllBytes(layer.tar());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AssemblyResult result = assemble(layer, out, ExpectedLayer.of(ExternalTools.sha256(layer.tar()),
                original.length));
        byte[] rebuilt = out.toByteArray();
        assertEquals(original.length, rebuilt.length, "length");
        assertEquals(-1, Arrays.mismatch(original, rebuilt), "first differing offset");
        assertEquals(ExternalTools.sha256(layer.tar()), result.sha256Digest());
        assertEquals(original.length, result.size());
        assertTrue(result.files() > 0 && result.fileBytes() > 0 && result.fileBytes() < result.size(),
                result.toString());
    }

    @Test
    void sparseFileOver100MiBIsRebuiltInBoundedMemory() throws Exception {
        Layer layer = layer("big-sparse");
        long size = Files.size(layer.tar());
        CountingSink sink = new CountingSink();
        AssemblyResult result = assemble(layer, sink, ExpectedLayer.of(ExternalTools.sha256(layer.tar()), size));
        assertEquals(size, sink.count);
        assertEquals(size, result.size());
        assertTrue(result.fileBytes() > 100L << 20, result.toString());
        assertTrue(sink.largestWrite <= LayerAssembler.COPY_BUFFER_BYTES, "largest write " + sink.largestWrite);
    }

    @Test
    void changedFileFailsItsCrcAndTheErrorNamesIt() throws Exception {
        Layer layer = layer("basic-pax");
        byte[] content = Files.readAllBytes(layer.dir().resolve("etc/block4097"));
        content[4000] ^= 1;
        Files.write(layer.dir().resolve("etc/block4097"), content);
        TarSplitIntegrityException e = assertThrows(TarSplitIntegrityException.class,
                () -> assemble(layer, OutputStream.nullOutputStream(), ExpectedLayer.unknown()));
        assertTrue(e.getMessage().contains("file integrity checksum failed for ./etc/block4097"), e.getMessage());
    }

    @Test
    void truncatedFileIsAnIntegrityError() throws Exception {
        Layer layer = layer("basic-gnu");
        try (var ch = Files.newByteChannel(layer.dir().resolve("etc/block4096"), StandardOpenOption.WRITE)) {
            ch.truncate(4000);
        }
        TarSplitIntegrityException e = assertThrows(TarSplitIntegrityException.class,
                () -> assemble(layer, OutputStream.nullOutputStream(), ExpectedLayer.unknown()));
        assertTrue(e.getMessage().contains("./etc/block4096 has 4000 bytes, but tar-split entry"), e.getMessage());
    }

    @Test
    void missingFileIsAClearError() throws Exception {
        Layer layer = layer("basic-pax");
        Files.delete(layer.dir().resolve("opq/c"));
        TarSplitIntegrityException e = assertThrows(TarSplitIntegrityException.class,
                () -> assemble(layer, OutputStream.nullOutputStream(), ExpectedLayer.unknown()));
        assertTrue(e.getMessage().contains("layer file ./opq/c") && e.getMessage().contains("is missing"),
                e.getMessage());
    }

    @Test
    void truncatedTarSplitGzipIsAFormatError() throws Exception {
        Layer layer = layer("basic-pax");
        byte[] gz = Files.readAllBytes(layer.tarSplit());
        Files.write(layer.tarSplit(), Arrays.copyOf(gz, gz.length / 2));
        TarSplitFormatException e = assertThrows(TarSplitFormatException.class,
                () -> assemble(layer, OutputStream.nullOutputStream(), ExpectedLayer.unknown()));
        assertTrue(e.getMessage().contains("gzip data is truncated"), e.getMessage());
    }

    @Test
    void symlinkedParentDirectoryIsRefused() throws Exception {
        Layer layer = layer("basic-pax");
        Path elsewhere = work.resolve("elsewhere");
        Files.move(layer.dir().resolve("etc"), elsewhere);
        Files.createSymbolicLink(layer.dir().resolve("etc"), elsewhere);
        UnsafeLayerPathException e = assertThrows(UnsafeLayerPathException.class,
                () -> assemble(layer, OutputStream.nullOutputStream(), ExpectedLayer.unknown()));
        assertTrue(e.getMessage().contains("./etc/") && e.getMessage().contains("symlink"), e.getMessage());
    }

    @Test
    void nameClimbingOutOfTheLayerIsRefused() throws Exception {
        Path tar = ExternalTools.makeTar("dotdot-name", work);
        Path tarSplit = work.resolve("dotdot.tar-split.gz");
        ExternalTools.disassemble(tar, tarSplit);
        Path dir = Files.createDirectories(work.resolve("layer/diff"));
        Files.writeString(dir.resolve("ok"), "fine\n");
        Files.writeString(work.resolve("layer/escape"), "outside\n");
        UnsafeLayerPathException e = assertThrows(UnsafeLayerPathException.class,
                () -> assemble(new Layer(tar, tarSplit, dir), OutputStream.nullOutputStream(), ExpectedLayer.unknown()));
        assertTrue(e.getMessage().contains("./a/../../escape"), e.getMessage());
    }

    @Test
    void crc64MatchesGoForAssortedLengths() throws Exception {
        Random random = new Random(2024);
        for (int length : new int[] {0, 1, 7, 8, 9, 63, 4096, 4097, (1 << 20) + 3}) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            Path file = Files.write(work.resolve("crc-" + length), data);
            assertEquals(ExternalTools.goCrc64(file), Crc64.checksum(data), "length " + length);
        }
    }

    @Test
    void nameRawEntryComesFromTheRealLibrary() throws Exception {
        Layer layer = layer("gnu-long-names");
        boolean found = false;
        try (TarSplitReader reader = TarSplitReader.fromGzip(Files.newInputStream(layer.tarSplit()))) {
            for (var e = reader.next(); e.isPresent(); e = reader.next()) {
                if (e.get() instanceof TarSplitEntry.FileEntry f && f.printableName().equals("caf\\xe9.txt")) {
                    assertArrayEquals(new byte[] {'c', 'a', 'f', (byte) 0xe9, '.', 't', 'x', 't'}, f.name());
                    found = true;
                }
            }
        }
        assertTrue(found, "the non-UTF-8 name is in the tar-split");
    }

    /** Discards bytes, keeping count and the largest single write. */
    private static final class CountingSink extends OutputStream {
        long count;
        int largestWrite;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
            largestWrite = Math.max(largestWrite, len);
        }
    }
}
