package layerfd.protocol.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import layerfd.linux.OwnedFd;
import layerfd.protocol.fdpass.TestFds;
import layerfd.protocol.splitfdstream.Chunk;
import layerfd.protocol.splitfdstream.ChunkHeader;
import layerfd.protocol.splitfdstream.SplitFdStreamException;
import layerfd.protocol.splitfdstream.SplitFdStreamException.Problem;
import layerfd.protocol.splitfdstream.SplitFdStreamReader;
import layerfd.protocol.splitfdstream.SplitFdStreamWriter;
import layerfd.protocol.splitfdstream.SplitFdStreams;
import layerfd.testing.OpenFds;
import org.junit.jupiter.api.Timeout;

/**
 * The splitfdstream reader (splitfdstream brief §1.1) over any bytes. Properties:
 * <ul>
 *   <li>only {@link SplitFdStreamException} comes out, naming a problem and an offset inside the input;</li>
 *   <li>round trip: for every stream the reader accepts, the writer writes back exactly the input bytes;</li>
 *   <li>the whole-chunk API ({@code next}) and the streaming API ({@code nextHeader}, reading part of each inline
 *   chunk from a source that delivers a few bytes per read) see the same chunks and fail the same way;</li>
 *   <li>a reader with a small inline limit agrees, or refuses with {@code inline-too-large};</li>
 *   <li>reassembly with three content fds gives the concatenation of the chunks, or {@code index-out-of-range}
 *   exactly when an index names no fd; no fd leaks.</li>
 * </ul>
 */
class SplitFdStreamReaderFuzzTest {
    private static final long SMALL_INLINE_LIMIT = 16;
    private static final int MAX_SHORT_READ = 7;
    private static final int MAX_PARTIAL_READ = 1 << 20;
    private static final List<String> CONTENT = List.of("content zero", "", "content two: a little longer");

    /** The chunks read before the end or the failure. */
    private record Reading(List<Chunk> chunks, SplitFdStreamException failure) {
        String failureKey() {
            return failure == null ? "none" : failure.problem() + "@" + failure.offset();
        }
    }

    @FuzzTest
    @Timeout(10)
    void readerAcceptsWhatTheWriterWritesBack(byte[] input) throws Exception {
        Reading whole = readChunks(new SplitFdStreamReader(new ByteArrayInputStream(input)));
        if (whole.failure() != null) {
            String message = whole.failure().getMessage();
            assertTrue(message.contains(whole.failure().problem().code()), message);
            assertTrue(whole.failure().offset() >= 0 && whole.failure().offset() <= input.length, message);
        } else {
            ByteArrayOutputStream written = new ByteArrayOutputStream();
            SplitFdStreamWriter writer = new SplitFdStreamWriter(written);
            for (Chunk chunk : whole.chunks()) {
                writer.write(chunk);
            }
            assertArrayEquals(input, written.toByteArray(), "write(read(x)) != x");
        }

        Reading streamed = readHeaders(new SplitFdStreamReader(shortReads(new ByteArrayInputStream(input))));
        assertEquals(headersOf(whole), headersOf(streamed), "streaming API saw other chunks");
        assertEquals(whole.failureKey(), streamed.failureKey(), "streaming API failed otherwise");

        Reading small = readChunks(new SplitFdStreamReader(new ByteArrayInputStream(input), SMALL_INLINE_LIMIT));
        if (!small.failureKey().equals(whole.failureKey())) {
            assertEquals(Problem.INLINE_TOO_LARGE, small.failure().problem(), small.failureKey());
        }

        reassembles(input, whole);
    }

    private static Reading readChunks(SplitFdStreamReader reader) throws IOException {
        List<Chunk> chunks = new ArrayList<>();
        try {
            for (Optional<Chunk> next; (next = reader.next()).isPresent(); ) {
                chunks.add(next.get());
            }
            return new Reading(chunks, null);
        } catch (SplitFdStreamException e) {
            return new Reading(chunks, e);
        }
    }

    /**
     * Reads every header and only the first half of each inline chunk; the reader must skip the rest itself. An
     * inline chunk counts unless its own data turns out truncated, as {@code next()} returns it only when whole.
     */
    private static Reading readHeaders(SplitFdStreamReader reader) throws IOException {
        List<Chunk> chunks = new ArrayList<>();
        ChunkHeader.InlineHeader pending = null;
        try {
            for (Optional<ChunkHeader> next; (next = reader.nextHeader()).isPresent(); ) {
                if (pending != null) {
                    chunks.add(Chunk.inline(new byte[] {1}));
                    pending = null;
                }
                switch (next.get()) {
                    case ChunkHeader.ExternalHeader external -> chunks.add(external.chunk());
                    case ChunkHeader.InlineHeader inline -> {
                        reader.inlineData().readNBytes((int) Math.min(inline.length() / 2, MAX_PARTIAL_READ));
                        pending = inline;
                    }
                }
            }
            if (pending != null) {
                chunks.add(Chunk.inline(new byte[] {1}));
            }
            return new Reading(chunks, null);
        } catch (SplitFdStreamException e) {
            if (pending != null && !(e.problem() == Problem.TRUNCATED_INLINE && e.offset() == pending.offset())) {
                chunks.add(Chunk.inline(new byte[] {1}));
            }
            return new Reading(chunks, e);
        }
    }

    /** Chunks as "external N" or "inline", which both APIs can state. */
    private static List<String> headersOf(Reading reading) {
        return reading.chunks().stream()
                .map(c -> c instanceof Chunk.External e ? "external " + e.index() : "inline")
                .toList();
    }

    private static void reassembles(byte[] input, Reading whole) throws Exception {
        TreeSet<Integer> before = OpenFds.snapshot();
        List<OwnedFd> fds = new ArrayList<>();
        try {
            for (String content : CONTENT) {
                fds.add(TestFds.memfd(content));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            boolean outOfRange = false;
            for (Chunk chunk : whole.chunks()) {
                switch (chunk) {
                    case Chunk.Inline inline -> expected.writeBytes(inline.bytes());
                    case Chunk.External external -> {
                        outOfRange |= external.index() >= CONTENT.size();
                        if (!outOfRange) {
                            expected.writeBytes(CONTENT.get(external.index()).getBytes(StandardCharsets.UTF_8));
                        }
                    }
                }
            }
            try {
                SplitFdStreams.reassemble(new ByteArrayInputStream(input), fds, out);
                assertTrue(whole.failure() == null && !outOfRange, "reassembled a stream the reader refuses");
                assertArrayEquals(expected.toByteArray(), out.toByteArray());
            } catch (SplitFdStreamException e) {
                Problem wanted = outOfRange ? Problem.INDEX_OUT_OF_RANGE : whole.failure().problem();
                assertEquals(wanted, e.problem(), e.getMessage());
            }
        } finally {
            fds.forEach(OwnedFd::close);
        }
        OpenFds.assertNoneNew(before, "reassembly");
    }

    /** Delivers 1, 2, ... {@link #MAX_SHORT_READ} bytes per read call in turn: splits in every position. */
    private static InputStream shortReads(InputStream in) {
        return new FilterInputStream(in) {
            private int calls;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1 + calls++ % MAX_SHORT_READ));
            }
        };
    }
}
