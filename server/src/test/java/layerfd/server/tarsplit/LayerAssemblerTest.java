package layerfd.server.tarsplit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import layerfd.linux.OwnedFd;
import layerfd.testing.OpenFds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reassembly from hand-made tar-splits over a real directory; the Go-made ones are in TarSplitRoundTripTest. */
class LayerAssemblerTest {
    private static final byte[] HEADER = "HEADER-512".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PADDING_AND_END = new byte[1030];
    private static final byte[] HELLO = "hello\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path layer;
    private int fdsBefore;

    @BeforeEach
    void countFds() {
        fdsBefore = OpenFds.count();
    }

    @AfterEach
    void noFdLeaked() throws InterruptedException {
        assertEquals(fdsBefore, OpenFds.settle(fdsBefore), "open descriptors after the test");
    }

    private TarSplitLines helloLayer() throws IOException {
        Files.createDirectories(layer.resolve("etc"));
        Files.write(layer.resolve("etc/hello"), HELLO);
        return new TarSplitLines().segment(HEADER).file("./", new byte[0]).segment(HEADER)
                .file("./etc/hello", HELLO).segment(PADDING_AND_END);
    }

    private AssemblyResult assemble(byte[] tarSplitGz, ByteArrayOutputStream out, ExpectedLayer expected)
            throws IOException {
        try (DirectoryFileOpener opener = new DirectoryFileOpener(layer)) {
            return new LayerAssembler(opener).assemble(new ByteArrayInputStream(tarSplitGz), out, expected);
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void emitsSegmentsVerbatimAndFileContentWithoutPadding() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AssemblyResult result = assemble(helloLayer().gzip(), out, ExpectedLayer.unknown());
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(HEADER);
        expected.write(HEADER);
        expected.write(HELLO);
        expected.write(PADDING_AND_END);
        assertArrayEquals(expected.toByteArray(), out.toByteArray());
        assertEquals(new AssemblyResult(sha256(expected.toByteArray()), expected.size(), 1, HELLO.length), result);
    }

    @Test
    void matchingDiffDigestAndSizePass() throws Exception {
        byte[] tarSplit = helloLayer().gzip();
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        AssemblyResult measured = assemble(tarSplit, first, ExpectedLayer.unknown());
        AssemblyResult checked = assemble(tarSplit, new ByteArrayOutputStream(),
                ExpectedLayer.of(measured.sha256Digest(), measured.size()));
        assertEquals(measured, checked);
        assertEquals(measured, assemble(tarSplit, new ByteArrayOutputStream(),
                ExpectedLayer.of(measured.sha256Digest(), ExpectedLayer.UNKNOWN_SIZE)));
    }

    @Test
    void wrongDiffDigestIsAnIntegrityErrorNamingBothDigests() throws Exception {
        String wrong = "sha256:" + "0".repeat(64);
        TarSplitIntegrityException e = assertThrows(TarSplitIntegrityException.class,
                () -> assemble(helloLayer().gzip(), new ByteArrayOutputStream(), ExpectedLayer.of(wrong, -1)));
        assertTrue(e.getMessage().contains(wrong) && e.getMessage().contains("sha256:"), e.getMessage());
    }

    @Test
    void wrongDiffSizeIsAnIntegrityError() throws Exception {
        byte[] tarSplit = helloLayer().gzip();
        AssemblyResult measured = assemble(tarSplit, new ByteArrayOutputStream(), ExpectedLayer.unknown());
        TarSplitIntegrityException e = assertThrows(TarSplitIntegrityException.class, () -> assemble(tarSplit,
                new ByteArrayOutputStream(), ExpectedLayer.of(measured.sha256Digest(), measured.size() + 1)));
        assertTrue(e.getMessage().contains((measured.size() + 1) + " bytes"), e.getMessage());
    }

    @Test
    void changedContentOfSameSizeFailsTheCrcNamingTheFile() throws Exception {
        byte[] tarSplit = helloLayer().gzip();
        Files.writeString(layer.resolve("etc/hello"), "HELLO\n");
        TarSplitIntegrityException e = assertThrows(TarSplitIntegrityException.class,
                () -> assemble(tarSplit, new ByteArrayOutputStream(), ExpectedLayer.unknown()));
        assertTrue(e.getMessage().contains("file integrity checksum failed for ./etc/hello"), e.getMessage());
        assertTrue(e.getMessage().contains(Crc64.toHex(Crc64.checksum(HELLO))), e.getMessage());
        assertTrue(e.getMessage().contains(Crc64.toHex(Crc64.checksum("HELLO\n".getBytes(StandardCharsets.US_ASCII)))),
                e.getMessage());
    }

    @Test
    void shorterFileIsAnIntegrityError() throws Exception {
        byte[] tarSplit = helloLayer().gzip();
        Files.writeString(layer.resolve("etc/hello"), "hell");
        TarSplitIntegrityException e = assertThrows(TarSplitIntegrityException.class,
                () -> assemble(tarSplit, new ByteArrayOutputStream(), ExpectedLayer.unknown()));
        assertTrue(e.getMessage().contains("./etc/hello has 4 bytes, but tar-split entry 4 says 6"), e.getMessage());
    }

    @Test
    void longerFileIsAnIntegrityError() throws Exception {
        byte[] tarSplit = helloLayer().gzip();
        Files.writeString(layer.resolve("etc/hello"), "hello\nworld\n");
        TarSplitIntegrityException e = assertThrows(TarSplitIntegrityException.class,
                () -> assemble(tarSplit, new ByteArrayOutputStream(), ExpectedLayer.unknown()));
        assertTrue(e.getMessage().contains("./etc/hello has 12 bytes"), e.getMessage());
    }

    @Test
    void missingFileIsAnIntegrityErrorNamingIt() throws Exception {
        byte[] tarSplit = helloLayer().gzip();
        Files.delete(layer.resolve("etc/hello"));
        TarSplitIntegrityException e = assertThrows(TarSplitIntegrityException.class,
                () -> assemble(tarSplit, new ByteArrayOutputStream(), ExpectedLayer.unknown()));
        assertTrue(e.getMessage().contains("layer file ./etc/hello (tar-split entry 4, 6 bytes) is missing"),
                e.getMessage());
    }

    @Test
    void fileWithContentButNoCrcIsAnIntegrityError() throws Exception {
        Files.write(layer.resolve("x"), HELLO);
        byte[] tarSplit = new TarSplitLines().raw("{\"type\":1,\"name\":\"x\",\"size\":6,\"payload\":null}").gzip();
        TarSplitIntegrityException e = assertThrows(TarSplitIntegrityException.class,
                () -> assemble(tarSplit, new ByteArrayOutputStream(), ExpectedLayer.unknown()));
        assertTrue(e.getMessage().contains("no CRC-64"), e.getMessage());
    }

    @Test
    void dotDotNameIsRefusedBeforeAnyOpen() throws Exception {
        Files.write(layer.getParent().resolve("outside-" + layer.getFileName()), HELLO);
        byte[] tarSplit = new TarSplitLines().file("../outside-" + layer.getFileName(), HELLO).gzip();
        LayerFileOpener mustNotBeCalled = name -> {
            throw new AssertionError("opener called for " + new String(name, StandardCharsets.UTF_8));
        };
        UnsafeLayerPathException e = assertThrows(UnsafeLayerPathException.class, () -> new LayerAssembler(
                mustNotBeCalled).assemble(new ByteArrayInputStream(tarSplit), new ByteArrayOutputStream()));
        assertTrue(e.getMessage().contains("\"..\""), e.getMessage());
        Files.delete(layer.getParent().resolve("outside-" + layer.getFileName()));
    }

    @Test
    void nonUtf8NameFromNameRawIsOpenedByteExact() throws Exception {
        byte[] name = {'c', 'a', 'f', (byte) 0xe9};
        RawNames.write(layer, name, HELLO);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AssemblyResult result = assemble(new TarSplitLines().fileRaw(name, HELLO).gzip(), out, ExpectedLayer.unknown());
        assertArrayEquals(HELLO, out.toByteArray());
        assertEquals(1, result.files());
    }

    @Test
    void copyVerifiedCopiesExactlyTheEntrySize() throws Exception {
        Files.write(layer.resolve("f"), HELLO);
        TarSplitEntry.FileEntry entry = new TarSplitEntry.FileEntry("f".getBytes(StandardCharsets.US_ASCII),
                HELLO.length, Optional.of(Crc64.toBytes(Crc64.checksum(HELLO))), 0);
        try (DirectoryFileOpener opener = new DirectoryFileOpener(layer); OwnedFd fd = opener.open(entry.name())) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            LayerAssembler.copyVerified(entry, fd, out);
            assertArrayEquals(HELLO, out.toByteArray());
            assertTrue(fd.isOpen(), "copyVerified leaves the descriptor to its owner");
        }
    }
}
