package layerfd.conformance.python;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import layerfd.conformance.support.PeerProcess;
import layerfd.conformance.support.PythonPeers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jsonrpc-fdpass vectors against the Python peer ({@code fdpass_peer.py vectors}), and the committed vectors
 * against their generator ({@code generate.py --check}).
 */
class PythonVectorsTest {
    private static final Path VECTORS = Path.of("vectors", "jsonrpc-fdpass");
    private static final long RUN_SECONDS = 120;

    @TempDir
    Path dir;

    @Test
    void thePythonPeerPassesEveryVectorWholeAndSplitAtEveryByte() throws Exception {
        JsonNode cases = new ObjectMapper().readTree(VECTORS.resolve("cases.json").toFile());
        // each receive case twice (as delivered, split at every byte), each send case once, then no_fd_leak
        int expected = 2 * cases.get("receive").size() + cases.get("send").size() + 1;
        PeerProcess.Finished run = PeerProcess.run(PythonPeers.command("fdpass_peer.py", "vectors",
                VECTORS.toString()), dir.resolve("vectors.log"), RUN_SECONDS);
        assertEquals(0, run.exitCode(), run.output());
        List<String> lines = PythonPeers.checkLines(run.output());
        assertEquals(expected, lines.size(), run.output());
        assertTrue(lines.stream().allMatch(l -> l.startsWith("PASS ")), run.output());
        assertArrayEquals(new int[] {expected, 0}, PythonPeers.closingCounts(run.output()));
    }

    @Test
    void theCommittedVectorsAreWhatTheGeneratorWrites() throws Exception {
        PythonPeers.command("fdpass_peer.py"); // skips with the reason where python3 is missing
        PeerProcess.Finished run = PeerProcess.run(List.of("python3", VECTORS.resolve("generate.py").toString(),
                "--check"), dir.resolve("generate.log"), RUN_SECONDS);
        assertEquals(0, run.exitCode(), run.output());
    }
}
