package layerfd.client.objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checks the digest against fsverity-utils' own computation (`fsverity digest`), which needs no fs support. */
class FsVerityDigestTest {
    private static final Path FSVERITY = Path.of("/usr/bin/fsverity");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} bytes")
    // Boundaries: empty, one byte, one block, one block + 1, a full level-0 tree block (128 data blocks),
    // one past it (a second tree level), and a three-level tree (128*128 blocks + 1 = 64 MiB + 4 KiB + 1).
    @ValueSource(longs = {0, 1, 4095, 4096, 4097, 8192, 524_288, 524_289, 1_000_000, 10_485_760, 67_108_864, 67_112_961})
    void matchesFsverityUtils(long size) throws Exception {
        assumeTrue(Files.isExecutable(FSVERITY), "fsverity (Debian package fsverity) is not installed");
        Path file = dir.resolve("f");
        byte[] chunk = new byte[1 << 20];
        new Random(size).nextBytes(chunk);
        try (var out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(left, chunk.length));
            }
        }
        String expected = fsverityDigest(file);
        try (InputStream in = Files.newInputStream(file)) {
            assertEquals(expected, FsVerityDigest.of(in));
        }
        if (size < 10_000_000) {
            assertEquals(expected, FsVerityDigest.of(Files.readAllBytes(file)));
        }
    }

    private static String fsverityDigest(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(FSVERITY.toString(), "digest", "--hash-alg=sha256", "--block-size=4096",
                "--compact", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertEquals(0, p.waitFor(), out);
        return "sha256:" + out;
    }
}
