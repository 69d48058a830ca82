package layerfd.protocol.splitfdstream;

import static layerfd.protocol.splitfdstream.Bytes.concat;
import static layerfd.protocol.splitfdstream.Bytes.external;
import static layerfd.protocol.splitfdstream.Bytes.inline;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import layerfd.linux.FdInputStream;
import layerfd.linux.FdOutputStream;
import layerfd.linux.MemFd;
import layerfd.linux.Open;
import layerfd.linux.OwnedFd;
import layerfd.protocol.splitfdstream.SplitFdStreamException.Problem;
import layerfd.testing.OpenFds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reassembly from real descriptors: memfds and temp files, including fds whose shared offset is not 0. */
class ReassemblyTest {
    @TempDir
    Path dir;

    private static OwnedFd memfd(byte[] content) throws Exception {
        OwnedFd fd = MemFd.create("content");
        try (FdOutputStream out = new FdOutputStream(fd)) {
            out.write(content);
        }
        return fd;
    }

    private static byte[] pattern(int size) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i % 251);
        }
        return data;
    }

    @Test
    void mixedStreamRebuildsInlineAndWholeFilesInOrder() throws Exception {
        int before = OpenFds.count();
        byte[] big = pattern(200_000);
        try (OwnedFd zero = memfd("zero".getBytes(StandardCharsets.US_ASCII)); OwnedFd one = memfd(big)) {
            byte[] stream = concat(inline(new byte[] {'<'}), external(1), external(0), inline(new byte[] {'>'}));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ReassemblyStats stats = SplitFdStreams.reassemble(new ByteArrayInputStream(stream), List.of(zero, one),
                    out);
            assertArrayEquals(concat(new byte[] {'<'}, big, "zero".getBytes(StandardCharsets.US_ASCII),
                    new byte[] {'>'}), out.toByteArray());
            assertEquals(new ReassemblyStats(4, 2, big.length + 4), stats);
            assertEquals(out.size(), stats.totalBytes());
        }
        assertEquals(before, OpenFds.count());
    }

    @Test
    void tempFileWithANonZeroOffsetIsReadFromZeroAndItsOffsetIsNotMoved() throws Throwable {
        int before = OpenFds.count();
        byte[] content = pattern(10_000);
        Path file = dir.resolve("content");
        Files.write(file, content);
        try (OwnedFd fd = Open.open(file.toString(), Open.O_RDONLY | Open.O_CLOEXEC, 0)) {
            // Where a sender that had read part of the file would have left the shared offset.
            SharedOffset.set(fd, 1234);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ReassemblyStats stats = SplitFdStreams.reassemble(new ByteArrayInputStream(concat(external(0),
                    external(0))), List.of(fd), out);
            assertArrayEquals(concat(content, content), out.toByteArray(), "a repeated index yields the file twice");
            assertEquals(new ReassemblyStats(2, 0, 2L * content.length), stats);
            assertEquals(1234, SharedOffset.get(fd), "reassembly must not move the shared offset");
        }
        assertEquals(before, OpenFds.count());
    }

    @Test
    void memfdWithNonZeroOffsetIsReadFromZero() throws Throwable {
        byte[] content = pattern(5000);
        try (OwnedFd fd = memfd(content)) {
            SharedOffset.set(fd, 4000);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ReassemblyStats stats = SplitFdStreams.reassemble(new ByteArrayInputStream(external(0)), List.of(fd), out);
            assertArrayEquals(content, out.toByteArray());
            assertEquals(5000, stats.externalBytes());
            assertEquals(4000, SharedOffset.get(fd));
        }
    }

    @Test
    void indexWithoutAContentFdFailsNamingIndexCountAndOffset() throws Exception {
        int before = OpenFds.count();
        try (OwnedFd fd = memfd(new byte[] {1})) {
            SplitFdStreamException e = assertThrows(SplitFdStreamException.class, () -> SplitFdStreams.reassemble(
                    new ByteArrayInputStream(concat(external(0), external(1))), List.of(fd),
                    new ByteArrayOutputStream()));
            assertEquals(Problem.INDEX_OUT_OF_RANGE, e.problem());
            assertEquals(8, e.offset());
            assertTrue(e.getMessage().contains("content fd #1 but only 1 content fds"), e.getMessage());
            assertTrue(fd.isOpen(), "reassembly borrows content fds and never closes them");
        }
        assertEquals(before, OpenFds.count());
    }

    @Test
    void emptyContentFileContributesNothing() throws Exception {
        try (OwnedFd empty = memfd(new byte[0])) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ReassemblyStats stats = SplitFdStreams.reassemble(
                    new ByteArrayInputStream(concat(external(0), inline(new byte[] {7}))), List.of(empty), out);
            assertArrayEquals(new byte[] {7}, out.toByteArray());
            assertEquals(new ReassemblyStats(2, 1, 0), stats);
        }
    }

    @Test
    void streamItselfCanComeFromAMemfdReadPositionally() throws Exception {
        int before = OpenFds.count();
        byte[] content = pattern(70_000);
        try (OwnedFd file = memfd(content); OwnedFd streamFd = MemFd.create("splitfdstream")) {
            try (FdOutputStream out = new FdOutputStream(streamFd)) {
                SplitFdStreamWriter writer = new SplitFdStreamWriter(out);
                writer.writeInline(new byte[] {1, 2});
                writer.writeExternal(0);
            }
            assertEquals(0, SharedOffset.get(streamFd), "positional writes leave the memfd at offset 0");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (FdInputStream in = new FdInputStream(streamFd)) {
                SplitFdStreams.reassemble(in, List.of(file), out);
            }
            assertArrayEquals(concat(new byte[] {1, 2}, content), out.toByteArray());
        }
        assertEquals(before, OpenFds.count());
    }

    @Test
    void fdStreamsKeepTheirOwnPositionAndRefuseUseAfterClose() throws Throwable {
        try (OwnedFd fd = memfd(pattern(300))) {
            SharedOffset.set(fd, 7);
            FdInputStream in = new FdInputStream(fd, 100);
            byte[] first = in.readNBytes(50);
            assertArrayEquals(java.util.Arrays.copyOfRange(pattern(300), 100, 150), first);
            assertEquals(150, in.position());
            assertEquals(7, SharedOffset.get(fd), "positional reads leave the shared offset alone");
            in.close();
            assertThrows(java.io.IOException.class, in::read);
            assertTrue(fd.isOpen(), "closing the stream does not close the borrowed fd");
        }
    }
}
