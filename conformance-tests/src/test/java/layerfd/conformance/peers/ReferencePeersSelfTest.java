package layerfd.conformance.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The upstream reference peers (Rust crate jsonrpc-fdpass, Go module jsonrpc-fdpass-go), built from their
 * published packages, prove they speak to each other before any of them is used to judge layerfd.
 * selftest.sh exits 77 when a peer could not be built (toolchain or module missing): that is a skip, said so.
 */
class ReferencePeersSelfTest {
    private static final int EXIT_SKIPPED = 77;
    private static final long TIMEOUT_MINUTES = 15;

    static Path peersDirectory() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("conformance-tests/peers"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("conformance-tests/peers not found above " + Path.of("").toAbsolutePath());
        }
        return dir.resolve("conformance-tests/peers");
    }

    @Test
    void rustAndGoPeersPassEveryCheckAgainstEachOther() throws Exception {
        Path peers = peersDirectory();
        Path out = Path.of("target/peers").toAbsolutePath();
        Path log = Files.createDirectories(out).resolve("selftest.log");
        Process p = new ProcessBuilder("bash", peers.resolve("selftest.sh").toString(), out.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES), "selftest.sh did not finish; see " + log);
        String output = Files.readString(log);
        if (p.exitValue() == EXIT_SKIPPED) {
            abort("a reference peer could not be built here:\n" + output.lines()
                    .filter(l -> l.startsWith("SKIP")).reduce("", (a, b) -> a + b + "\n"));
        }
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.lines().anyMatch(l -> l.matches("\\d+ passed, 0 failed, \\d+ skipped")), output);
    }
}
