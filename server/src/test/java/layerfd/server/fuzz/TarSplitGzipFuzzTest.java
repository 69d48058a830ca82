package layerfd.server.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Optional;
import layerfd.server.tarsplit.TarSplitEntry;
import layerfd.server.tarsplit.TarSplitFormatException;
import layerfd.server.tarsplit.TarSplitReader;
import org.junit.jupiter.api.Timeout;

/**
 * {@code <layer-id>.tar-split.gz} as containers-storage stores it, damaged in any way (seeds: the tar-split vectors).
 * Property: reading gives entries or a {@link TarSplitFormatException} with a message; never another exception,
 * whatever the gzip header, deflate data, trailer or member concatenation looks like.
 */
class TarSplitGzipFuzzTest {
    @FuzzTest
    @Timeout(10)
    void anyGzipReadsOrFailsAsAFormatError(byte[] input) throws IOException {
        try (TarSplitReader reader = TarSplitReader.fromGzip(new ByteArrayInputStream(input))) {
            for (Optional<TarSplitEntry> next; (next = reader.next()).isPresent(); ) {
                if (next.get() instanceof TarSplitEntry.FileEntry file) {
                    assertTrue(file.size() >= 0, file.toString());
                }
            }
        } catch (TarSplitFormatException e) {
            assertTrue(e.getMessage().startsWith("tar-split entry "), e.getMessage());
        }
    }
}
