package layerfd.protocol.splitfdstream;

import static layerfd.protocol.splitfdstream.Bytes.concat;
import static layerfd.protocol.splitfdstream.Bytes.external;
import static layerfd.protocol.splitfdstream.Bytes.inline;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import layerfd.linux.FdOutputStream;
import layerfd.linux.MemFd;
import layerfd.linux.OwnedFd;
import layerfd.protocol.splitfdstream.ChunkHeader.ExternalHeader;
import layerfd.protocol.splitfdstream.ChunkHeader.InlineHeader;
import layerfd.protocol.splitfdstream.SplitFdStreamException.Problem;
import layerfd.testing.OpenFds;
import org.junit.jupiter.api.Test;

class EntryFramedDecoderTest {
    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);

    private static EntryFramedDecoder decoder(byte[] stream) {
        return new EntryFramedDecoder(new SplitFdStreamReader(new ByteArrayInputStream(stream)));
    }

    @Test
    void workedExampleEntriesAreDirectoryThenFileWithExternalContent() throws Exception {
        byte[] dir = TarBlocks.ustar("etc/", '5', 0);
        byte[] file = TarBlocks.ustar("etc/big", '0', 5000);
        EntryFramedDecoder decoder = decoder(concat(inline(dir), inline(file), external(0)));
        FramedEntry first = decoder.next().orElseThrow();
        assertEquals(new EntryHeader("etc/", (byte) '5', 0), first.header());
        assertEquals(Optional.empty(), first.content());
        assertArrayEquals(dir, first.headerBytes());
        FramedEntry second = decoder.next().orElseThrow();
        assertEquals(new EntryHeader("etc/big", (byte) '0', 5000), second.header());
        assertEquals(520, second.offset());
        assertEquals(Optional.of(new ExternalHeader(1040, 0)), second.content());
        assertEquals(Optional.empty(), decoder.next());
    }

    @Test
    void inlineContentIsStreamedByTheCaller() throws Exception {
        EntryFramedDecoder decoder = decoder(concat(inline(TarBlocks.ustar("a", '0', 5)), inline(HELLO),
                inline(TarBlocks.ustar("b", '0', 0))));
        FramedEntry a = decoder.next().orElseThrow();
        assertEquals(Optional.of(new InlineHeader(520, 5)), a.content());
        assertArrayEquals(HELLO, decoder.inlineContent().readAllBytes());
        FramedEntry b = decoder.next().orElseThrow();
        assertFalse(b.header().hasContent(), "an empty regular file has no content chunk");
    }

    @Test
    void paxPathAndSizeOverrideTheUstarFields() throws Exception {
        String longName = "dir/" + "n".repeat(150);
        byte[] header = concat(TarBlocks.pax("path", longName, "size", "7"), TarBlocks.ustar("short", '0', 0));
        FramedEntry entry = decoder(concat(inline(header), inline(new byte[7]))).next().orElseThrow();
        assertEquals(new EntryHeader(longName, (byte) '0', 7), entry.header());
        assertEquals(1536, entry.headerLength());
    }

    @Test
    void externalHeaderChunkIsRejected() {
        SplitFdStreamException e = assertThrows(SplitFdStreamException.class, () -> decoder(external(0)).next());
        assertEquals(Problem.HEADER_NOT_INLINE, e.problem());
    }

    @Test
    void headerWithAWrongChecksumIsRejected() {
        byte[] header = TarBlocks.ustar("a", '0', 0);
        header[0] = 'b';
        SplitFdStreamException e = assertThrows(SplitFdStreamException.class, () -> decoder(inline(header)).next());
        assertEquals(Problem.BAD_ENTRY_HEADER, e.problem());
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void headerChunkThatIsNotWholeBlocksIsRejected() {
        SplitFdStreamException e = assertThrows(SplitFdStreamException.class,
                () -> decoder(inline(new byte[100])).next());
        assertEquals(Problem.BAD_ENTRY_HEADER, e.problem());
        assertTrue(e.getMessage().contains("100 bytes"), e.getMessage());
    }

    @Test
    void inlineContentOfTheWrongSizeIsRejected() {
        byte[] stream = concat(inline(TarBlocks.ustar("a", '0', 5)), inline(new byte[4]));
        SplitFdStreamException e = assertThrows(SplitFdStreamException.class, () -> decoder(stream).next());
        assertEquals(Problem.CONTENT_SIZE_MISMATCH, e.problem());
        assertEquals(520, e.offset());
    }

    @Test
    void regularFileWithoutContentChunkIsRejected() {
        SplitFdStreamException e = assertThrows(SplitFdStreamException.class,
                () -> decoder(inline(TarBlocks.ustar("a", '0', 5))).next());
        assertEquals(Problem.MISSING_CONTENT, e.problem());
        assertTrue(e.getMessage().contains("content of a"), e.getMessage());
    }

    @Test
    void toTarAddsPaddingAndTrailerAroundExternalContent() throws Exception {
        int before = OpenFds.count();
        byte[] content = new byte[700];
        java.util.Arrays.fill(content, (byte) 'z');
        byte[] header = TarBlocks.ustar("f", '0', content.length);
        try (OwnedFd fd = MemFd.create("content")) {
            try (FdOutputStream out = new FdOutputStream(fd)) {
                out.write(content);
            }
            ByteArrayOutputStream tar = new ByteArrayOutputStream();
            long written = EntryFramedDecoder.toTar(new ByteArrayInputStream(concat(inline(header), external(0))),
                    List.of(fd), tar);
            byte[] expected = concat(header, content, new byte[1024 - 700], new byte[1024]);
            assertArrayEquals(expected, tar.toByteArray());
            assertEquals(expected.length, written);
        }
        assertEquals(before, OpenFds.count());
    }

    @Test
    void toTarRejectsAnExternalFileWhoseSizeDiffersFromTheHeader() throws Exception {
        try (OwnedFd fd = MemFd.create("content")) {
            try (FdOutputStream out = new FdOutputStream(fd)) {
                out.write(new byte[3]);
            }
            SplitFdStreamException e = assertThrows(SplitFdStreamException.class, () -> EntryFramedDecoder.toTar(
                    new ByteArrayInputStream(concat(inline(TarBlocks.ustar("f", '0', 4)), external(0))),
                    List.of(fd), new ByteArrayOutputStream()));
            assertEquals(Problem.CONTENT_SIZE_MISMATCH, e.problem());
            assertTrue(e.getMessage().contains("has 3 bytes, its tar header says 4"), e.getMessage());
        }
    }
}
