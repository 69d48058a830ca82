package layerfd.protocol.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import layerfd.linux.OwnedFd;
import layerfd.protocol.fdpass.FdpassException;
import layerfd.protocol.fdpass.FdpassFrame;
import layerfd.protocol.fdpass.internal.FdCountField;
import layerfd.protocol.fdpass.internal.FrameDecoder;
import layerfd.testing.OpenFds;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * The jsonrpc-fdpass receiver (README §5) fed any bytes and fds in any split. The input is a list of reads
 * ({@link FuzzRecord}: payload = the bytes of one recvmsg, tag % 4 = how many fds rode on it). Properties:
 * <ul>
 *   <li>only the {@link FdpassException} family comes out, with a message; never a RuntimeException or an Error;</li>
 *   <li>every frame carries exactly as many fds as its {@code "fds"} field announces (§5.3.5), all of them open;</li>
 *   <li>after a failure the decoder repeats it and closes fds fed to it later (README §8);</li>
 *   <li>no fd leaks: /proc/self/fd holds the same descriptors before and after each input;</li>
 *   <li>splitting does not matter: with all fds delivered up front, the reads as given and the same bytes in one
 *   read yield the same frames and both succeed or both fail.</li>
 * </ul>
 */
class FrameDecoderFuzzTest {
    /** Small, so that inputs the fuzzer can afford reach the message-too-large path. */
    private static final int MAX_MESSAGE_BYTES = 4096;
    private static final int MAX_READS = 64;
    private static final int FD_COUNT_MODULUS = 4;

    /** What decoding one input produced: each frame as text with its fd count, and the failure, if any. */
    private record Outcome(List<String> frames, FdpassException failure) {}

    /** Opens the shared /dev/null before the first per-input fd snapshot, so it is not taken for a leak. */
    @BeforeAll
    static void openSharedFdSource() throws Exception {
        ReceivedFds.of(0);
    }

    @FuzzTest
    @Timeout(10)
    void anyBytesAndFdsInAnySplit(byte[] input) throws Exception {
        List<FuzzRecord> reads = FuzzRecord.parse(input, MAX_READS);
        TreeSet<Integer> before = OpenFds.snapshot();

        List<Integer> fdsPerRead = reads.stream().map(r -> r.tag() % FD_COUNT_MODULUS).toList();
        decode(reads, fdsPerRead);

        int allFds = fdsPerRead.stream().mapToInt(Integer::intValue).sum();
        List<Integer> allFdsFirst = new ArrayList<>();
        for (int i = 0; i < reads.size(); i++) {
            allFdsFirst.add(i == 0 ? allFds : 0);
        }
        Outcome split = decode(reads, allFdsFirst);
        Outcome whole = decode(List.of(new FuzzRecord(0, FuzzRecord.concat(reads))), List.of(allFds));
        assertEquals(whole.frames(), split.frames(), "frames depend on how the bytes were split");
        assertEquals(whole.failure() == null, split.failure() == null, () -> "one read: " + whole.failure()
                + "; split reads: " + split.failure());

        OpenFds.assertNoneNew(before, "the frame decoder");
    }

    private static Outcome decode(List<FuzzRecord> reads, List<Integer> fdsPerRead) throws Exception {
        List<String> frames = new ArrayList<>();
        try (FrameDecoder decoder = new FrameDecoder(MAX_MESSAGE_BYTES)) {
            try {
                for (int i = 0; i < reads.size(); i++) {
                    byte[] bytes = reads.get(i).bytes();
                    decoder.feed(bytes, 0, bytes.length, ReceivedFds.of(fdsPerRead.get(i)));
                    drain(decoder, frames);
                }
                decoder.endOfStream();
                return new Outcome(frames, null);
            } catch (FdpassException e) {
                assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "exception without a message");
                // README §8: a failed receiver is done; it says so again and closes whatever it is handed.
                FdpassException again = assertThrows(FdpassException.class,
                        () -> decoder.feed(new byte[] {' '}, 0, 1, ReceivedFds.of(1)));
                assertSame(e, again);
                assertEquals(0, decoder.queuedFds());
                return new Outcome(frames, e);
            }
        }
    }

    private static void drain(FrameDecoder decoder, List<String> frames) throws Exception {
        for (Optional<FdpassFrame> next; (next = decoder.next()).isPresent(); ) {
            try (FdpassFrame frame = next.get()) {
                assertEquals(FdCountField.read(frame.json()), frame.fdCount(), "fds of " + frame);
                assertTrue(frame.fds().stream().allMatch(OwnedFd::isOpen), "a frame holds a closed fd");
                frames.add(new String(frame.bytes(), StandardCharsets.UTF_8) + " +" + frame.fdCount() + " fds");
            }
        }
    }
}
