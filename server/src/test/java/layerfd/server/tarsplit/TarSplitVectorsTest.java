package layerfd.server.tarsplit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Runs conformance-tests/vectors/tar-split (see its README): Go-made tar-splits and Go CRC-64 values. */
class TarSplitVectorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Walks up from the working directory to the project root, the folder holding conformance-tests/vectors. */
    static Path vectors() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("conformance-tests/vectors");
            if (Files.isDirectory(candidate)) {
                return candidate.resolve("tar-split");
            }
        }
        throw new IllegalStateException("no conformance-tests/vectors above " + Path.of("").toAbsolutePath());
    }

    @TestFactory
    Stream<DynamicTest> crc64ValuesMatchGo() throws IOException {
        JsonNode root = JSON.readTree(vectors().resolve("crc64.json").toFile());
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode v : root.get("vectors")) {
            tests.add(DynamicTest.dynamicTest(v.get("name").asText(), () -> {
                byte[] input = HexFormat.of().parseHex(v.get("input_hex").asText());
                assertEquals(v.get("crc64").asText(), Crc64.toHex(Crc64.checksum(input)));
            }));
        }
        assertTrue(tests.size() >= 5, "crc64.json has vectors");
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> layersReassembleToTheirDigest() throws IOException {
        JsonNode root = JSON.readTree(vectors().resolve("layers.json").toFile());
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode v : root.get("layers")) {
            tests.add(DynamicTest.dynamicTest(v.get("name").asText(), () -> {
                try (DirectoryFileOpener opener = new DirectoryFileOpener(vectors().resolve(v.get("files_dir").asText()));
                     InputStream tarSplit = Files.newInputStream(vectors().resolve(v.get("tar_split").asText()))) {
                    AssemblyResult result = new LayerAssembler(opener).assemble(tarSplit, OutputStream.nullOutputStream(),
                            ExpectedLayer.of(v.get("sha256").asText(), v.get("size").asLong()));
                    assertEquals(new AssemblyResult(v.get("sha256").asText(), v.get("size").asLong(),
                            v.get("files").asLong(), v.get("file_bytes").asLong()), result);
                }
            }));
        }
        assertEquals(4, tests.size(), "layers.json vectors");
        return tests.stream();
    }

    private static List<TarSplitEntry> entries(String vector) throws IOException {
        List<TarSplitEntry> entries = new ArrayList<>();
        try (TarSplitReader reader = TarSplitReader.fromGzip(
                Files.newInputStream(vectors().resolve(vector).resolve("layer.tar-split.gz")))) {
            for (Optional<TarSplitEntry> e = reader.next(); e.isPresent(); e = reader.next()) {
                entries.add(e.get());
            }
        }
        return entries;
    }

    @Test
    void v143VectorEndsWithAnEmptySegmentAndBasicDoesNot() throws IOException {
        assertEquals(new TarSplitEntry.Segment(new byte[0]), entries("v1.43-trailing-empty-segment").getLast());
        assertTrue(((TarSplitEntry.Segment) entries("basic").getLast()).length() > 0);
    }

    @Test
    void trailingBytesAreSegmentsOfAtMostOneMebibyte() throws IOException {
        long max = JSON.readTree(vectors().resolve("layers.json").toFile()).get("segment_chunk_max_bytes").asLong();
        List<Integer> lengths = entries("trailing-segments").stream()
                .filter(e -> e instanceof TarSplitEntry.Segment)
                .map(e -> ((TarSplitEntry.Segment) e).length()).toList();
        assertTrue(lengths.stream().allMatch(n -> n <= max), lengths.toString());
        assertTrue(lengths.contains((int) max), "a full 1 MiB chunk: " + lengths);
    }

    @Test
    void nameRawVectorCarriesTheNonUtf8Name() throws IOException {
        assertTrue(entries("name-raw").stream().anyMatch(e -> e instanceof TarSplitEntry.FileEntry f
                && f.printableName().equals("caf\\xe9.txt") && f.size() == 13));
    }
}
