package layerfd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {
    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void helpListsEveryContractCommand() {
        CliRun r = run("--help");
        assertEquals(0, r.exit());
        for (String verb : List.of("serve", "images", "inspect", "export", "extract", "import", "fsck", "status",
                "conformance")) {
            assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith(verb + " ")), verb + " missing in:\n" + r.out());
        }
        assertTrue(r.out().contains("Exit codes: 0 ok, 1 operation failed, 2 usage error."));
    }

    @Test
    void clientCommandsWithoutAServerFailClearly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        String socket = dir.resolve("none.sock").toString();
        for (String[] args : List.of(new String[] {"images", "--socket", socket},
                new String[] {"inspect", "alpine", "--socket", socket, "--json"},
                new String[] {"extract", "alpine", dir.resolve("dest").toString(), "--socket", socket},
                new String[] {"export", "abc", "-o", dir.resolve("x.tar").toString(), "--socket", socket})) {
            CliRun r = run(args);
            assertEquals(1, r.exit(), r.err());
            assertEquals("layerfd " + args[0] + ": " + socket
                    + ": no layerfd server socket (is `layerfd serve` running? --socket names another)\n", r.err());
        }
    }

    @Test
    void unknownReflinkPolicyIsAUsageError() {
        CliRun r = run("extract", "alpine", "/tmp/dest", "--unified", "reflink");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().startsWith("--unified: unknown unified storage policy 'reflink' (expected one of "
                + "enabled-with-copy, enabled, disabled)"), r.err());
    }

    @Test
    void usageErrorsExit2WithAMessage() {
        CliRun missing = run("import", "alpine");
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("Missing required option: '--repo=DIR'"), missing.err());
        CliRun unknown = run("frobnicate");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("Unmatched argument"), unknown.err());
        CliRun none = run();
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("a command is required"), none.err());
    }

    @Test
    void versionNamesLayerfd() {
        CliRun r = run("--version");
        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("layerfd "), r.out());
    }
}
