package layerfd.server.tarsplit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TarSplitReaderTest {
    /** Lines as podman 4.3 wrote them (containers-storage brief §8), payloads shortened. */
    private static final String OBSERVED = """
            {"type":2,"payload":"Li8AAAA=","position":0}
            {"type":1,"name":"./","payload":null,"position":1}
            {"type":1,"name":"./etc/hello","size":6,"payload":"YUw+7uLYEAA=","position":5}
            {"type":1,"name_raw":"Y2Fm6S50eHQ=","size":12,"payload":"YUdAAAAAAAA=","position":7}
            {"type":2,"payload":"","position":12}
            """;

    private static List<TarSplitEntry> readAll(TarSplitReader reader) throws IOException {
        List<TarSplitEntry> entries = new ArrayList<>();
        for (Optional<TarSplitEntry> e = reader.next(); e.isPresent(); e = reader.next()) {
            entries.add(e.get());
        }
        return entries;
    }

    private static List<TarSplitEntry> readJson(String json) throws IOException {
        try (TarSplitReader reader = TarSplitReader.fromJsonLines(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))) {
            return readAll(reader);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"UTF-16BE", "UTF-16LE", "UTF-16", "UTF-32BE", "UTF-32LE"})
    void onlyUtf8IsRead(String charset) throws IOException {
        byte[] text = "{\"type\":2,\"payload\":\"\",\"position\":0}\n".getBytes(java.nio.charset.Charset.forName(charset));
        try (TarSplitReader reader = TarSplitReader.fromJsonLines(new ByteArrayInputStream(text))) {
            TarSplitFormatException e = assertThrows(TarSplitFormatException.class, reader::next);
            assertEquals("tar-split entry 1: not UTF-8 JSON lines (the start looks like UTF-16 or UTF-32)", e.getMessage());
        }
    }

    @Test
    void readsObservedPodmanLinesIntoEntries() throws IOException {
        List<TarSplitEntry> entries = readJson(OBSERVED);
        assertEquals(5, entries.size());
        assertEquals(new TarSplitEntry.Segment(Base64.getDecoder().decode("Li8AAAA=")), entries.get(0));
        assertEquals(new TarSplitEntry.FileEntry("./".getBytes(StandardCharsets.UTF_8), 0, Optional.empty(), 1),
                entries.get(1));
        TarSplitEntry.FileEntry hello = (TarSplitEntry.FileEntry) entries.get(2);
        assertEquals("./etc/hello", hello.printableName());
        assertEquals(6, hello.size());
        assertEquals(0x614c3eeee2d81000L, hello.crc64Value().getAsLong());
        assertEquals(5, hello.position());
        TarSplitEntry.FileEntry raw = (TarSplitEntry.FileEntry) entries.get(3);
        assertArrayEquals(new byte[] {'c', 'a', 'f', (byte) 0xe9, '.', 't', 'x', 't'}, raw.name());
        assertEquals("caf\\xe9.txt", raw.printableName());
        // The trailing empty segment of containers-storage v1.43.
        assertEquals(new TarSplitEntry.Segment(new byte[0]), entries.get(4));
    }

    @Test
    void readsGzipAndCountsEntries() throws IOException {
        byte[] gz = new TarSplitLines().segment(new byte[] {1, 2}).file("./a", new byte[] {9}).gzip();
        try (TarSplitReader reader = TarSplitReader.fromGzip(new ByteArrayInputStream(gz))) {
            assertEquals(2, readAll(reader).size());
            assertEquals(2, reader.entriesRead());
            assertTrue(reader.next().isEmpty(), "end stays the end");
        }
    }

    @Test
    void nameRawWinsOverName() throws IOException {
        TarSplitEntry.FileEntry f = (TarSplitEntry.FileEntry) readJson(
                "{\"type\":1,\"name\":\"ignored\",\"name_raw\":\"" + TarSplitLines.b64(new byte[] {'x', (byte) 0xff})
                        + "\",\"payload\":null,\"position\":0}\n").getFirst();
        assertArrayEquals(new byte[] {'x', (byte) 0xff}, f.name());
    }

    @Test
    void unknownKeysAreIgnoredWhateverTheirShape() throws IOException {
        List<TarSplitEntry> entries = readJson("{\"type\":2,\"new\":{\"a\":[1,{\"b\":null}]},\"payload\":\"AQ==\","
                + "\"other\":[true],\"position\":0,\"later\":\"x\"}\n");
        assertEquals(List.of(new TarSplitEntry.Segment(new byte[] {1})), entries);
    }

    @Test
    void nullSegmentPayloadIsAnEmptySegment() throws IOException {
        assertEquals(List.of(new TarSplitEntry.Segment(new byte[0])), readJson("{\"type\":2,\"payload\":null}"));
    }

    @Test
    void oneMebibyteSegmentOnOneLineIsRead() throws IOException {
        byte[] big = new byte[1 << 20];
        Arrays.fill(big, (byte) 0x5a);
        big[big.length - 1] = 1;
        List<TarSplitEntry> entries = readJson(new String(new TarSplitLines().segment(big).json(),
                StandardCharsets.UTF_8));
        assertEquals(new TarSplitEntry.Segment(big), entries.getFirst());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"name":"x","payload":null}                        | no "type"
            {"type":3,"payload":null}                          | unknown "type" 3
            {"type":"1","name":"x"}                            | "type" must be an integer
            {"type":null}                                      | "type" must be an integer
            {"type":2,"payload":"@@@@"}                        | "payload" is not base64
            {"type":1,"name":"x","size":3,"payload":"AAAAAAAAAA=="} | must be an 8-byte CRC-64
            {"type":1,"name":"x","size":-4,"payload":null}     | negative "size"
            {"type":1,"name":"x","size":1e3,"payload":null}    | "size" must be an integer
            {"type":1,"name":"x","size":99999999999999999999}  | does not fit in 64 bits
            {"type":1,"name":7}                                | "name" must be a string
            [1,2]                                              | expected a JSON object
            {"type":2,"payload":"AA=="                         | malformed JSON
            """)
    void malformedSecondEntryIsRefusedWithItsNumber(String line, String problem) {
        String json = "{\"type\":2,\"payload\":\"AA==\",\"position\":0}\n" + line + "\n";
        TarSplitFormatException e = assertThrows(TarSplitFormatException.class, () -> readJson(json));
        assertEquals(2, e.entryNumber());
        assertTrue(e.getMessage().startsWith("tar-split entry 2: "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void truncatedGzipIsAFormatError() {
        byte[] gz = new TarSplitLines().segment(new byte[5000]).file("./a", new byte[] {1}).gzip();
        byte[] cut = Arrays.copyOf(gz, gz.length - 12);
        TarSplitFormatException e = assertThrows(TarSplitFormatException.class,
                () -> readAll(TarSplitReader.fromGzip(new ByteArrayInputStream(cut))));
        assertTrue(e.getMessage().contains("gzip data is truncated"), e.getMessage());
    }

    @Test
    void dataThatIsNotGzipIsAFormatError() {
        TarSplitFormatException e = assertThrows(TarSplitFormatException.class,
                () -> TarSplitReader.fromGzip(new ByteArrayInputStream("{\"type\":2}".getBytes(StandardCharsets.UTF_8))));
        assertEquals(1, e.entryNumber());
        assertTrue(e.getMessage().contains("not a valid gzip stream"), e.getMessage());
    }

    @Test
    void emptyStreamHasNoEntries() throws IOException {
        assertEquals(List.of(), readJson(""));
    }
}
