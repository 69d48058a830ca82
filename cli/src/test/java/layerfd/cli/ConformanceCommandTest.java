package layerfd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import layerfd.conformance.peer.TestPeerServer;
import layerfd.protocol.fdpass.FdpassOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `layerfd conformance`: the closing line, --json, exit codes, and clear errors for a peer that is not there. */
class ConformanceCommandTest {
    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void transportAgainstTheTestPeerPrintsEveryCheckAndExits0() throws Exception {
        try (TestPeerServer peer = TestPeerServer.start(dir.resolve("peer.sock"), FdpassOptions.defaults())) {
            CliRun r = run("conformance", "transport", "--socket", peer.socket().toString(), "--max-fds-per-sendmsg", "8");
            assertEquals(0, r.exit(), r.out() + r.err());
            assertTrue(r.out().lines().anyMatch(l -> l.equals("PASS echo_fds_300")), r.out());
            assertEquals("15 passed, 0 failed, 0 skipped", r.out().strip().lines().reduce((a, b) -> b).orElseThrow());
        }
    }

    @Test
    void transportJsonIsOneDocumentWithEveryCheck() throws Exception {
        try (TestPeerServer peer = TestPeerServer.start(dir.resolve("peer.sock"), FdpassOptions.defaults())) {
            CliRun r = run("conformance", "transport", "--socket", peer.socket().toString(), "--json");
            assertEquals(0, r.exit(), r.out() + r.err());
            JsonNode report = new ObjectMapper().readTree(r.out());
            assertEquals("transport", report.path("suite").asText());
            assertEquals(15, report.path("checks").size());
            assertEquals(15, report.path("passed").asInt());
            assertEquals(0, report.path("failed").asInt());
        }
    }

    @Test
    void aMissingPeerFailsEveryCheckWithTheReasonAndExits1() {
        Path absent = dir.resolve("absent.sock");
        CliRun r = run("conformance", "server", "--socket", absent.toString(), "--image", "alpine");
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("FAIL get_image: cannot connect to " + absent), r.out());
        assertTrue(r.out().contains("PASS no_fd_leak"), r.out());
        assertTrue(r.out().strip().endsWith("1 passed, 5 failed, 0 skipped"), r.out());
        assertFalse(r.out().contains("\tat "), "no stack trace: " + r.out());
    }

    @Test
    void unknownPeerQuirksIsAUsageError() {
        CliRun r = run("conformance", "transport", "--socket", "/tmp/x.sock", "--peer-quirks", "python");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("unknown peer quirks 'python' (expected none or go)"), r.err());
    }
}
