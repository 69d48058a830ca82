package layerfd.server.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import layerfd.server.tarsplit.TarSplitEntry;
import layerfd.server.tarsplit.TarSplitFormatException;
import layerfd.server.tarsplit.TarSplitReader;
import org.junit.jupiter.api.Timeout;

/**
 * The tar-split reader (containers-storage brief §3.1) over any newline-separated JSON. Properties:
 * <ul>
 *   <li>only {@link TarSplitFormatException} comes out, naming the entry number it was reading;</li>
 *   <li>a file entry never has a negative size, and its CRC-64 is 8 bytes when present;</li>
 *   <li>the same bytes gzip-compressed, as containers-storage stores them, read to the same entries and outcome;</li>
 *   <li>that gzip cut in half reads to a prefix of those entries and then fails as a format error.</li>
 * </ul>
 */
class TarSplitLinesFuzzTest {
    /** The entries read before the end or the failure. */
    private record Reading(List<TarSplitEntry> entries, TarSplitFormatException failure) {}

    @FuzzTest
    @Timeout(10)
    void jsonLinesReadToEntriesOrAFormatError(byte[] input) throws IOException {
        Reading plain = read(TarSplitReader.fromJsonLines(new ByteArrayInputStream(input)));
        for (TarSplitEntry entry : plain.entries()) {
            if (entry instanceof TarSplitEntry.FileEntry file) {
                assertTrue(file.size() >= 0, file.toString());
            }
        }

        byte[] gzip = gzip(input);
        Reading compressed = read(TarSplitReader.fromGzip(new ByteArrayInputStream(gzip)));
        assertEquals(plain.entries(), compressed.entries(), "gzip changed the entries");
        assertEquals(message(plain), message(compressed), "gzip changed the outcome");

        Reading cut = readCut(Arrays.copyOf(gzip, gzip.length / 2));
        assertTrue(cut.failure() != null, "half a gzip stream read without error");
        assertEquals(plain.entries().subList(0, Math.min(cut.entries().size(), plain.entries().size())),
                cut.entries(), "a cut gzip read to other entries");
    }

    private static Reading readCut(byte[] gzip) throws IOException {
        try {
            return read(TarSplitReader.fromGzip(new ByteArrayInputStream(gzip)));
        } catch (TarSplitFormatException e) {
            return new Reading(List.of(), e); // the gzip header itself is cut
        }
    }

    private static Reading read(TarSplitReader reader) throws IOException {
        List<TarSplitEntry> entries = new ArrayList<>();
        try (reader) {
            for (Optional<TarSplitEntry> next; (next = reader.next()).isPresent(); ) {
                entries.add(next.get());
            }
            assertEquals(entries.size(), reader.entriesRead());
            return new Reading(entries, null);
        } catch (TarSplitFormatException e) {
            assertEquals(entries.size() + 1, e.entryNumber(), e.getMessage());
            assertTrue(e.getMessage().startsWith("tar-split entry " + e.entryNumber() + ": "), e.getMessage());
            return new Reading(entries, e);
        }
    }

    private static String message(Reading reading) {
        return reading.failure() == null ? "none" : reading.failure().getMessage();
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }
}
