package layerfd.protocol.splitfdstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Property-style: random chunk sequences (fixed seeds) survive write then read, whatever the read split. */
class SplitFdStreamRoundTripTest {
    private static final long SEED = 0x5F1D_2026L;
    private static final int SEQUENCES = 200;
    private static final int MAX_CHUNKS = 40;
    private static final int MAX_INLINE = 300;

    @Test
    void randomSequencesRoundTripExactly() throws Exception {
        Random random = new Random(SEED);
        for (int sequence = 0; sequence < SEQUENCES; sequence++) {
            List<Chunk> chunks = randomChunks(random);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            SplitFdStreamWriter writer = new SplitFdStreamWriter(out);
            for (Chunk chunk : chunks) {
                writer.write(chunk);
            }
            byte[] stream = out.toByteArray();
            assertEquals(expectedLength(chunks), stream.length, "sequence " + sequence);
            assertEquals(stream.length, writer.bytesWritten());
            SplitFdStreamReader reader = new SplitFdStreamReader(sequence % 2 == 0
                    ? new ByteArrayInputStream(stream) : Bytes.oneByteAtATime(new ByteArrayInputStream(stream)));
            List<Chunk> decoded = new ArrayList<>();
            for (Optional<Chunk> c; (c = reader.next()).isPresent(); ) {
                decoded.add(c.get());
            }
            assertEquals(chunks, decoded, "sequence " + sequence);
        }
    }

    @Test
    void splittingWriterOutputReadsBackAsTheSameBytes() throws Exception {
        Random random = new Random(SEED + 1);
        for (int limit = 1; limit <= 17; limit++) {
            byte[] data = new byte[random.nextInt(1, 200)];
            random.nextBytes(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new SplitFdStreamWriter(out, limit).writeInline(data);
            SplitFdStreamReader reader = new SplitFdStreamReader(new ByteArrayInputStream(out.toByteArray()), limit);
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            int chunks = 0;
            for (Optional<Chunk> c; (c = reader.next()).isPresent(); chunks++) {
                joined.writeBytes(((Chunk.Inline) c.get()).bytes());
            }
            assertEquals(java.util.HexFormat.of().formatHex(data), java.util.HexFormat.of().formatHex(
                    joined.toByteArray()), "limit " + limit);
            assertEquals((data.length + limit - 1) / limit, chunks, "limit " + limit);
        }
    }

    private static List<Chunk> randomChunks(Random random) {
        List<Chunk> chunks = new ArrayList<>();
        int count = random.nextInt(MAX_CHUNKS + 1);
        for (int i = 0; i < count; i++) {
            if (random.nextBoolean()) {
                byte[] data = new byte[random.nextInt(1, MAX_INLINE)];
                random.nextBytes(data);
                chunks.add(Chunk.inline(data));
            } else {
                // Small indices mostly, and now and then the extremes.
                int index = switch (random.nextInt(10)) {
                    case 0 -> 0;
                    case 1 -> Integer.MAX_VALUE;
                    default -> random.nextInt(1000);
                };
                chunks.add(Chunk.external(index));
            }
        }
        return chunks;
    }

    private static long expectedLength(List<Chunk> chunks) {
        long length = 0;
        for (Chunk chunk : chunks) {
            length += SplitFdStreamFormat.PREFIX_BYTES + (chunk instanceof Chunk.Inline inline ? inline.length() : 0);
        }
        return length;
    }
}
