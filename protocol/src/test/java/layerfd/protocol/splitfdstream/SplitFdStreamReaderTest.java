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
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import layerfd.protocol.splitfdstream.ChunkHeader.ExternalHeader;
import layerfd.protocol.splitfdstream.ChunkHeader.InlineHeader;
import layerfd.protocol.splitfdstream.SplitFdStreamException.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class SplitFdStreamReaderTest {

    /** Every decoding test runs over whole reads and one-byte reads. */
    enum Source {
        WHOLE(UnaryOperator.identity()),
        ONE_BYTE_AT_A_TIME(Bytes::oneByteAtATime);

        final UnaryOperator<InputStream> wrap;

        Source(UnaryOperator<InputStream> wrap) {
            this.wrap = wrap;
        }

        SplitFdStreamReader reader(byte[] stream) {
            return new SplitFdStreamReader(wrap.apply(new ByteArrayInputStream(stream)));
        }
    }

    private static List<Chunk> readAll(SplitFdStreamReader reader) throws Exception {
        List<Chunk> chunks = new ArrayList<>();
        for (Optional<Chunk> c; (c = reader.next()).isPresent(); ) {
            chunks.add(c.get());
        }
        return chunks;
    }

    private static SplitFdStreamException failure(Source source, byte[] stream) {
        return assertThrows(SplitFdStreamException.class, () -> readAll(source.reader(stream)));
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void mixedChunksDecodeInOrderAndConsumeEveryByte(Source source) throws Exception {
        byte[] stream = concat(inline(new byte[] {1, 2, 3}), external(0), external(7), inline(new byte[] {4}));
        SplitFdStreamReader reader = source.reader(stream);
        assertEquals(List.of(Chunk.inline(new byte[] {1, 2, 3}), Chunk.external(0), Chunk.external(7),
                Chunk.inline(new byte[] {4})), readAll(reader));
        assertEquals(stream.length, reader.position());
        assertEquals(Optional.empty(), reader.next(), "end of stream stays the end");
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void emptyStreamHasNoChunks(Source source) throws Exception {
        assertEquals(List.of(), readAll(source.reader(new byte[0])));
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void headersCarryOffsetsAndLengths(Source source) throws Exception {
        SplitFdStreamReader reader = source.reader(concat(inline(new byte[] {9, 9}), external(5)));
        assertEquals(new InlineHeader(0, 2), reader.nextHeader().orElseThrow());
        assertEquals(new ExternalHeader(10, 5), reader.nextHeader().orElseThrow(),
                "the unread inline data was skipped");
        assertEquals(Optional.empty(), reader.nextHeader());
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void inlineDataStreamsWithoutMaterialising(Source source) throws Exception {
        byte[] data = new byte[100_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 251);
        }
        SplitFdStreamReader reader = source.reader(concat(inline(data), external(1)));
        assertEquals(new InlineHeader(0, data.length), reader.nextHeader().orElseThrow());
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        assertEquals(data.length, reader.transferInline(sink));
        assertArrayEquals(data, sink.toByteArray());
        assertEquals(0, reader.transferInline(sink), "nothing is left of the current chunk");
        assertEquals(Chunk.external(1), reader.next().orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 7})
    void partialPrefixAtEndIsAnErrorUnlikeRust(int length) {
        byte[] stream = concat(inline(new byte[] {1}), new byte[length]);
        SplitFdStreamException e = failure(Source.WHOLE, stream);
        assertEquals(Problem.TRUNCATED_PREFIX, e.problem());
        assertEquals(9, e.offset());
        assertTrue(e.getMessage().contains("at byte 9") && e.getMessage().contains(length + " bytes into"),
                e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void truncatedInlineDataNamesTheChunkOffsetAndHowMuchArrived(Source source) {
        SplitFdStreamException e = failure(source, concat(external(0), prefix(-10), new byte[4]));
        assertEquals(Problem.TRUNCATED_INLINE, e.problem());
        assertEquals(8, e.offset());
        assertTrue(e.getMessage().contains("announces 10 bytes but the stream ends after 4"), e.getMessage());
    }

    @Test
    void truncationIsDetectedWhenSkippingUnreadInlineData() throws Exception {
        SplitFdStreamReader reader = Source.WHOLE.reader(concat(prefix(-10), new byte[4]));
        reader.nextHeader();
        SplitFdStreamException e = assertThrows(SplitFdStreamException.class, reader::nextHeader);
        assertEquals(Problem.TRUNCATED_INLINE, e.problem());
    }

    @Test
    void longMinValueIsRejected() {
        SplitFdStreamException e = failure(Source.WHOLE, prefix(Long.MIN_VALUE));
        assertEquals(Problem.INVALID_PREFIX, e.problem());
        assertEquals(0, e.offset());
    }

    @Test
    void largestIndexIsAcceptedAndTheNextIsRejected() throws Exception {
        assertEquals(List.of(Chunk.external(Integer.MAX_VALUE)),
                readAll(Source.WHOLE.reader(external(Integer.MAX_VALUE))));
        SplitFdStreamException e = failure(Source.WHOLE, external(1L << 31));
        assertEquals(Problem.INDEX_TOO_LARGE, e.problem());
        assertTrue(e.getMessage().contains("2147483648"), e.getMessage());
    }

    @Test
    void indexAbove32BitsIsRejectedNotTruncatedAsRustDoes() {
        SplitFdStreamException e = failure(Source.WHOLE, external((1L << 32) + 1));
        assertEquals(Problem.INDEX_TOO_LARGE, e.problem());
    }

    @Test
    void inlineOverTheLimitIsRejectedBeforeAnyDataIsRead() throws Exception {
        CountingInput counting = new CountingInput(prefix(-(SplitFdStreamFormat.MAX_INLINE_CHUNK_BYTES + 1)));
        SplitFdStreamReader reader = new SplitFdStreamReader(counting);
        SplitFdStreamException e = assertThrows(SplitFdStreamException.class, reader::nextHeader);
        assertEquals(Problem.INLINE_TOO_LARGE, e.problem());
        assertEquals(8, counting.consumed, "only the prefix was read");
    }

    @Test
    void inlineExactlyAtTheLimitIsAccepted() throws Exception {
        SplitFdStreamReader reader = new SplitFdStreamReader(
                new ByteArrayInputStream(prefix(-SplitFdStreamFormat.MAX_INLINE_CHUNK_BYTES)));
        assertEquals(new InlineHeader(0, SplitFdStreamFormat.MAX_INLINE_CHUNK_BYTES),
                reader.nextHeader().orElseThrow());
    }

    @Test
    void aLowerReaderLimitBoundsMemory() {
        SplitFdStreamReader reader = new SplitFdStreamReader(new ByteArrayInputStream(inline(new byte[5])), 4);
        SplitFdStreamException e = assertThrows(SplitFdStreamException.class, reader::next);
        assertEquals(Problem.INLINE_TOO_LARGE, e.problem());
        assertTrue(e.getMessage().contains("exceeds the limit of 4 bytes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SplitFdStreamReader(InputStream.nullInputStream(), 0));
    }

    @Test
    void inlineDataWithoutACurrentInlineChunkIsAProgrammingError() throws Exception {
        SplitFdStreamReader reader = Source.WHOLE.reader(external(0));
        assertThrows(IllegalStateException.class, reader::inlineData);
    }

    @Test
    void inlineChunkValuesAreImmutableAndNeverEmpty() {
        byte[] data = {1, 2};
        Chunk.Inline chunk = Chunk.inline(data);
        data[0] = 9;
        chunk.bytes()[1] = 9;
        assertArrayEquals(new byte[] {1, 2}, chunk.bytes());
        assertThrows(IllegalArgumentException.class, () -> Chunk.inline(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> Chunk.external(-1));
    }

    /** An input that counts what the reader took from it. */
    private static final class CountingInput extends ByteArrayInputStream {
        long consumed;

        CountingInput(byte[] bytes) {
            super(bytes);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            int n = super.read(b, off, len);
            consumed += Math.max(n, 0);
            return n;
        }
    }
}
