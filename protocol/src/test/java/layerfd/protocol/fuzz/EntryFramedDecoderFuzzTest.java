package layerfd.protocol.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import layerfd.linux.OwnedFd;
import layerfd.protocol.fdpass.TestFds;
import layerfd.protocol.splitfdstream.EntryFramedDecoder;
import layerfd.protocol.splitfdstream.FramedEntry;
import layerfd.protocol.splitfdstream.SplitFdStreamException;
import layerfd.protocol.splitfdstream.SplitFdStreamReader;
import layerfd.testing.OpenFds;
import org.junit.jupiter.api.Timeout;

/**
 * The entry-framed dialect [B] decoder (splitfdstream brief §1.2) over any bytes, with three content fds (5, 600 and
 * 0 bytes). Properties:
 * <ul>
 *   <li>only {@link SplitFdStreamException} comes out, from {@code next()} and from {@code toTar};</li>
 *   <li>every entry's header chunk is whole 512-byte blocks and its size is not negative;</li>
 *   <li>a tar written by {@code toTar} is whole blocks, ends with the two zero blocks, and is as long as reported;</li>
 *   <li>no fd leaks.</li>
 * </ul>
 */
class EntryFramedDecoderFuzzTest {
    private static final int BLOCK = 512;
    private static final List<String> CONTENT = List.of("hello", "x".repeat(600), "");

    @FuzzTest
    @Timeout(10)
    void decodesOrRefusesWithAStreamError(byte[] input) throws Exception {
        TreeSet<Integer> before = OpenFds.snapshot();
        EntryFramedDecoder decoder = new EntryFramedDecoder(new SplitFdStreamReader(new ByteArrayInputStream(input)));
        try {
            for (Optional<FramedEntry> next; (next = decoder.next()).isPresent(); ) {
                FramedEntry entry = next.get();
                assertTrue(entry.headerLength() > 0 && entry.headerLength() % BLOCK == 0, entry.toString());
                assertTrue(entry.header().size() >= 0, entry.toString());
                assertEquals(entry.header().hasContent(), entry.content().isPresent(), entry.toString());
            }
        } catch (SplitFdStreamException e) {
            assertTrue(e.getMessage().contains(e.problem().code()), e.getMessage());
        }

        List<OwnedFd> fds = new ArrayList<>();
        try {
            for (String content : CONTENT) {
                fds.add(TestFds.memfd(content));
            }
            ByteArrayOutputStream tar = new ByteArrayOutputStream();
            long written = EntryFramedDecoder.toTar(new ByteArrayInputStream(input), fds, tar);
            byte[] bytes = tar.toByteArray();
            assertEquals(written, bytes.length);
            assertEquals(0, bytes.length % BLOCK, "tar of " + bytes.length + " bytes is not whole blocks");
            assertArrayEquals(new byte[2 * BLOCK], Arrays.copyOfRange(bytes, bytes.length - 2 * BLOCK, bytes.length));
        } catch (SplitFdStreamException e) {
            assertTrue(e.getMessage().contains(e.problem().code()), e.getMessage());
        } finally {
            fds.forEach(OwnedFd::close);
        }
        OpenFds.assertNoneNew(before, "the entry-framed decoder");
    }
}
