package layerfd.conformance.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import layerfd.linux.FdOutputStream;
import layerfd.linux.MemFd;
import layerfd.linux.OwnedFd;
import layerfd.protocol.splitfdstream.Chunk;
import layerfd.protocol.splitfdstream.ChunkHeader;
import layerfd.protocol.splitfdstream.EntryFramedDecoder;
import layerfd.protocol.splitfdstream.FramedEntry;
import layerfd.protocol.splitfdstream.SplitFdStreamException;
import layerfd.protocol.splitfdstream.SplitFdStreamReader;
import layerfd.protocol.splitfdstream.SplitFdStreamWriter;
import layerfd.protocol.splitfdstream.SplitFdStreams;
import layerfd.testing.OpenFds;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every vector of conformance-tests/vectors/splitfdstream (see its README.md) through the Java reader, writer,
 * reassembler and entry-framed decoder. The committed files are the truth.
 */
class SplitFdStreamVectorsTest {
    /** The folder must hold at least this many stream cases: an emptied or unreadable folder is a failure. */
    private static final int MIN_STREAM_CASES = 30;
    private static final int MIN_WRITER_CASES = 5;
    private static final String CONTENT_MEMFD_NAME = "vector-content";

    static Stream<Named<JsonNode>> streamCases() {
        return named(VectorFiles.cases().get("cases"));
    }

    static Stream<Named<JsonNode>> writerCases() {
        return named(VectorFiles.cases().get("writerCases"));
    }

    private static Stream<Named<JsonNode>> named(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(c -> Named.of(c.get("name").asText(), c));
    }

    @Test
    void folderHoldsTheCasesAndEveryStreamFileBelongsToOne() throws IOException {
        JsonNode doc = VectorFiles.cases();
        assertTrue(doc.get("cases").size() >= MIN_STREAM_CASES, "too few stream cases: " + doc.get("cases").size());
        assertTrue(doc.get("writerCases").size() >= MIN_WRITER_CASES, "too few writer cases");
        Set<String> referenced = new TreeSet<>();
        doc.get("cases").forEach(c -> referenced.add(c.get("stream").asText()));
        Set<String> present = new TreeSet<>();
        try (Stream<java.nio.file.Path> files = java.nio.file.Files.list(VectorFiles.FOLDER)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".bin")).forEach(present::add);
        }
        assertEquals(referenced, present, "every case names a .bin and every .bin has a case");
    }

    @ParameterizedTest
    @MethodSource("streamCases")
    void streamCase(JsonNode c) throws Exception {
        byte[] stream = VectorFiles.file(c.get("stream").asText());
        JsonNode error = c.path("error");
        boolean dialectA = c.get("dialect").asText().equals("A");
        boolean decodeError = error.path("stage").asText().equals("decode");

        checkChunks(c, stream, dialectA && decodeError ? error : null);
        if (dialectA && !decodeError) {
            assertWriterReproduces(stream);
        }
        List<OwnedFd> fds = contentFds(c.get("contentFiles"));
        try {
            if (!dialectA) {
                checkEntries(c, stream, decodeError ? error : null);
            }
            if (!decodeError) {
                checkOutput(c, stream, fds, dialectA, error.isMissingNode() ? null : error);
            }
        } finally {
            fds.forEach(OwnedFd::close);
        }
        // The JVM opens jars lazily while the first cases run, so the check is for this test's own memfds.
        assertEquals(List.of(), openContentFds(), "content fds left open by " + c.get("name").asText());
    }

    /** The raw chunk list; for an [A] decode error, the chunks before it and then the error. */
    private static void checkChunks(JsonNode c, byte[] stream, JsonNode error) throws IOException {
        SplitFdStreamReader reader = new SplitFdStreamReader(new ByteArrayInputStream(stream));
        List<Chunk> decoded = new ArrayList<>();
        try {
            for (Optional<Chunk> chunk; (chunk = reader.next()).isPresent(); ) {
                decoded.add(chunk.get());
            }
            if (error != null) {
                fail("expected " + error + " after " + decoded.size() + " chunks");
            }
        } catch (SplitFdStreamException e) {
            if (error == null) {
                throw e;
            }
            assertError(error, e);
        }
        JsonNode expected = c.get("chunks");
        assertEquals(expected.size(), decoded.size(), "chunk count");
        for (int i = 0; i < decoded.size(); i++) {
            assertChunk(expected.get(i), decoded.get(i), "chunk " + i);
        }
    }

    private static void assertChunk(JsonNode expected, Chunk actual, String what) {
        switch (actual) {
            case Chunk.External external -> assertEquals(expected.path("external").asLong(-1), external.index(), what);
            case Chunk.Inline inline -> {
                JsonNode spec = expected.get("inline");
                assertTrue(spec != null, what + ": expected " + expected + ", got " + actual);
                if (spec.has("hex")) {
                    assertEquals(spec.get("hex").asText(), HexFormat.of().formatHex(inline.bytes()), what);
                } else {
                    assertEquals(spec.get("length").asLong(), inline.length(), what);
                    assertEquals(spec.get("sha256").asText(), VectorFiles.sha256(inline.bytes()), what);
                }
            }
        }
    }

    /** Every valid stream re-encodes byte for byte from its decoded chunks. */
    private static void assertWriterReproduces(byte[] stream) throws IOException {
        SplitFdStreamReader reader = new SplitFdStreamReader(new ByteArrayInputStream(stream));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SplitFdStreamWriter writer = new SplitFdStreamWriter(out);
        for (Optional<Chunk> chunk; (chunk = reader.next()).isPresent(); ) {
            writer.write(chunk.get());
        }
        assertArrayEquals(stream, out.toByteArray(), "writer re-encoding");
    }

    private static void checkEntries(JsonNode c, byte[] stream, JsonNode error) throws IOException {
        EntryFramedDecoder decoder = new EntryFramedDecoder(new SplitFdStreamReader(new ByteArrayInputStream(stream)));
        List<FramedEntry> entries = new ArrayList<>();
        try {
            for (Optional<FramedEntry> entry; (entry = decoder.next()).isPresent(); ) {
                entries.add(entry.get());
            }
            if (error != null) {
                fail("expected " + error + " after " + entries.size() + " entries");
            }
        } catch (SplitFdStreamException e) {
            if (error == null) {
                throw e;
            }
            assertError(error, e);
        }
        JsonNode expected = c.path("entries");
        assertEquals(expected.size(), entries.size(), "entry count");
        for (int i = 0; i < entries.size(); i++) {
            JsonNode want = expected.get(i);
            FramedEntry got = entries.get(i);
            String what = "entry " + i;
            assertEquals(want.get("name").asText(), got.header().name(), what);
            assertEquals(want.get("type").asText().charAt(0), (char) got.header().typeflag(), what);
            assertEquals(want.get("size").asLong(), got.header().size(), what);
            assertEquals(want.get("headerLength").asInt(), got.headerLength(), what);
            JsonNode content = want.get("content");
            switch (got.content().orElse(null)) {
                case null -> assertTrue(content.isNull(), what + " has no content chunk, expected " + content);
                case ChunkHeader.ExternalHeader ext -> assertEquals(content.path("external").asLong(-1), ext.index(),
                        what);
                case ChunkHeader.InlineHeader in -> assertEquals(content.path("inline").asLong(-1), in.length(), what);
            }
        }
    }

    /** [A]: reassembled bytes; [B]: the tar rebuilt from the entries. Length and sha256, or the error. */
    private static void checkOutput(JsonNode c, byte[] stream, List<OwnedFd> fds, boolean dialectA, JsonNode error)
            throws IOException {
        DigestingSink sink = new DigestingSink();
        try {
            long written = dialectA
                    ? SplitFdStreams.reassemble(new ByteArrayInputStream(stream), fds, sink).totalBytes()
                    : EntryFramedDecoder.toTar(new ByteArrayInputStream(stream), fds, sink);
            if (error != null) {
                fail("expected " + error);
            }
            assertEquals(sink.length, written, "reported length");
        } catch (SplitFdStreamException e) {
            if (error == null) {
                throw e;
            }
            assertError(error, e);
            return;
        }
        assertEquals(c.get("output").get("length").asLong(), sink.length, "output length");
        assertEquals(c.get("output").get("sha256").asText(), sink.hex(), "output sha256");
    }

    private static void assertError(JsonNode expected, SplitFdStreamException e) {
        assertEquals(expected.get("code").asText(), e.problem().code(), e.getMessage());
        assertEquals(expected.get("offset").asLong(), e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains("at byte " + e.offset()), "the message names the offset: "
                + e.getMessage());
    }

    private static List<Integer> openContentFds() {
        List<Integer> open = new ArrayList<>();
        for (int fd : OpenFds.snapshot()) {
            try {
                if (java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/" + fd)).toString()
                        .startsWith("/memfd:" + CONTENT_MEMFD_NAME)) {
                    open.add(fd);
                }
            } catch (IOException gone) {
                // closed between listing and reading: not open
            }
        }
        return open;
    }

    private static List<OwnedFd> contentFds(JsonNode files) throws IOException {
        List<OwnedFd> fds = new ArrayList<>();
        try {
            for (JsonNode file : files) {
                OwnedFd fd = MemFd.create(CONTENT_MEMFD_NAME);
                fds.add(fd);
                try (FdOutputStream out = new FdOutputStream(fd)) {
                    out.write(VectorFiles.bytes(file));
                }
            }
            return fds;
        } catch (IOException | RuntimeException e) {
            fds.forEach(OwnedFd::close);
            throw e;
        }
    }

    @ParameterizedTest
    @MethodSource("writerCases")
    void writerCase(JsonNode c) throws Exception {
        JsonNode expect = c.get("expect");
        DigestingSink sink = new DigestingSink();
        SplitFdStreamWriter writer = c.has("maxInlineChunkBytes")
                ? new SplitFdStreamWriter(sink, c.get("maxInlineChunkBytes").asLong())
                : new SplitFdStreamWriter(sink);
        if (expect.has("error")) {
            assertEquals("invalid-index", expect.get("error").asText());
            assertEquals(1, c.get("ops").size());
            long index = c.get("ops").get(0).get("external").asLong();
            // An index outside int cannot even be passed to the Java writer; one inside int but negative is refused.
            assertThrows(RuntimeException.class, () -> writer.writeExternal(Math.toIntExact(index)));
            assertEquals(0, sink.length, "nothing was written");
            return;
        }
        for (JsonNode op : c.get("ops")) {
            if (op.has("external")) {
                writer.writeExternal(Math.toIntExact(op.get("external").asLong()));
            } else if (op.get("inline").has("hex")) {
                writer.writeInline(VectorFiles.bytes(op.get("inline")));
            } else {
                JsonNode spec = op.get("inline");
                long length = VectorFiles.length(spec);
                try (InputStream data = VectorFiles.fill(length, spec.get("fill").asText())) {
                    writer.writeInline(data, length);
                }
            }
        }
        assertEquals(sink.length, writer.bytesWritten());
        if (expect.has("stream")) {
            assertArrayEquals(VectorFiles.file(expect.get("stream").asText()), sink.bytes());
        } else if (expect.has("hex")) {
            assertEquals(expect.get("hex").asText(), HexFormat.of().formatHex(sink.bytes()));
        } else {
            assertEquals(expect.get("length").asLong(), sink.length);
            assertEquals(expect.get("sha256").asText(), sink.hex());
            for (JsonNode p : expect.get("prefixes")) {
                assertEquals(p.get("value").asLong(), sink.prefixAt(p.get("offset").asLong()), "prefix at " + p);
            }
        }
    }

    /** Hashes everything, keeps the first bytes (for small outputs), and the 8-byte words at watched offsets. */
    private static final class DigestingSink extends OutputStream {
        private static final int KEPT_BYTES = 1 << 20;
        private final java.security.MessageDigest digest = VectorFiles.sha256();
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final java.util.Map<Long, byte[]> words = new java.util.HashMap<>();
        long length;

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            digest.update(b, off, len);
            if (length < KEPT_BYTES) {
                kept.write(b, off, (int) Math.min(len, KEPT_BYTES - length));
            }
            // Record every 8-byte-aligned prefix candidate lazily: keep bytes of writes that are exactly 8 long,
            // which is how the writer emits prefixes.
            if (len == Long.BYTES) {
                words.put(length, java.util.Arrays.copyOfRange(b, off, off + len));
            }
            length += len;
        }

        byte[] bytes() {
            assertTrue(length <= KEPT_BYTES, "output too large to compare byte for byte");
            return kept.toByteArray();
        }

        String hex() {
            return HexFormat.of().formatHex(digest.digest());
        }

        long prefixAt(long offset) {
            byte[] word = words.get(offset);
            assertTrue(word != null, "no 8-byte prefix write at offset " + offset);
            return java.nio.ByteBuffer.wrap(word).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        }
    }
}
