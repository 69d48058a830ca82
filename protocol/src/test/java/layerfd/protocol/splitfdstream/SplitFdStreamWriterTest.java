package layerfd.protocol.splitfdstream;

import static layerfd.protocol.splitfdstream.Bytes.concat;
import static layerfd.protocol.splitfdstream.Bytes.external;
import static layerfd.protocol.splitfdstream.Bytes.inline;
import static layerfd.protocol.splitfdstream.Bytes.prefix;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SplitFdStreamWriterTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Test
    void inlineHelloIsTheBriefsByteExample() throws Exception {
        SplitFdStreamWriter writer = new SplitFdStreamWriter(out);
        writer.writeInline("hello".getBytes(StandardCharsets.US_ASCII));
        assertEquals("fbffffffffffffff68656c6c6f", HexFormat.of().formatHex(out.toByteArray()));
        assertEquals(13, writer.bytesWritten());
    }

    @Test
    void externalOneIsTheBriefsByteExample() throws Exception {
        new SplitFdStreamWriter(out).writeExternal(1);
        assertEquals("0100000000000000", HexFormat.of().formatHex(out.toByteArray()));
    }

    @Test
    void largestIndexEncodesAsLittleEndian() throws Exception {
        new SplitFdStreamWriter(out).writeExternal(Integer.MAX_VALUE);
        assertEquals("ffffff7f00000000", HexFormat.of().formatHex(out.toByteArray()));
    }

    @Test
    void emptyInlineWritesNothingBecausePrefixZeroMeansExternalZero() throws Exception {
        SplitFdStreamWriter writer = new SplitFdStreamWriter(out);
        writer.writeInline(new byte[0]);
        writer.writeInline(new byte[] {1, 2, 3}, 1, 0);
        writer.writeInline(new ByteArrayInputStream(new byte[0]), 0);
        assertEquals(0, out.size());
        assertEquals(0, writer.bytesWritten());
    }

    @Test
    void negativeIndexIsRefusedAndNothingIsWritten() {
        SplitFdStreamWriter writer = new SplitFdStreamWriter(out);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> writer.writeExternal(-1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertEquals(0, out.size());
    }

    @Test
    void inlineLongerThanTheLimitIsSplitIntoChunksOfTheLimit() throws Exception {
        SplitFdStreamWriter writer = new SplitFdStreamWriter(out, 4);
        byte[] data = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        writer.writeInline(data);
        byte[] expected = concat(prefix(-4), new byte[] {0, 1, 2, 3}, prefix(-4), new byte[] {4, 5, 6, 7},
                prefix(-2), new byte[] {8, 9});
        assertArrayEquals(expected, out.toByteArray());
        assertEquals(expected.length, writer.bytesWritten());
    }

    @Test
    void inlineExactlyAtTheLimitStaysOneChunk() throws Exception {
        new SplitFdStreamWriter(out, 4).writeInline(new byte[] {9, 8, 7, 6});
        assertArrayEquals(inline(new byte[] {9, 8, 7, 6}), out.toByteArray());
    }

    @Test
    void inlineFromAStreamSplitsLikeTheArrayForm() throws Exception {
        byte[] data = new byte[11];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        new SplitFdStreamWriter(out, 5).writeInline(Bytes.oneByteAtATime(new ByteArrayInputStream(data)), 11);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        new SplitFdStreamWriter(expected, 5).writeInline(data);
        assertArrayEquals(expected.toByteArray(), out.toByteArray());
        assertEquals(11 + 3 * 8, out.size());
    }

    @Test
    void inlineFromAShortStreamFailsNamingHowMuchArrived() {
        SplitFdStreamWriter writer = new SplitFdStreamWriter(out);
        EOFException e = assertThrows(EOFException.class,
                () -> writer.writeInline(new ByteArrayInputStream(new byte[3]), 5));
        assertTrue(e.getMessage().contains("after 3 of 5 bytes"), e.getMessage());
    }

    @Test
    void limitOutsideOneTo256MibIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SplitFdStreamWriter(out, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SplitFdStreamWriter(out, SplitFdStreamFormat.MAX_INLINE_CHUNK_BYTES + 1));
        assertTrue(e.getMessage().contains("268435457"), e.getMessage());
    }

    @Test
    void chunkValuesWriteAsTheirEncoding() throws Exception {
        SplitFdStreamWriter writer = new SplitFdStreamWriter(out);
        writer.write(Chunk.inline(new byte[] {42}));
        writer.write(Chunk.external(3));
        assertArrayEquals(concat(inline(new byte[] {42}), external(3)), out.toByteArray());
    }
}
