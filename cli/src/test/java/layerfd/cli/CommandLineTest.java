package layerfd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CommandLineTest {
    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void helpListsEveryContractCommand() {
        Run r = run("--help");
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
            Run r = run(args);
            assertEquals(1, r.exit(), r.err());
            assertEquals("layerfd " + args[0] + ": " + socket
                    + ": no layerfd server socket (is `layerfd serve` running? --socket names another)\n", r.err());
        }
    }

    @Test
    void unknownReflinkPolicyIsAUsageError() {
        Run r = run("extract", "alpine", "/tmp/dest", "--unified", "reflink");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().startsWith("--unified: unknown unified storage policy 'reflink' (expected one of "
                + "enabled-with-copy, enabled, disabled)"), r.err());
    }

    @Test
    void usageErrorsExit2WithAMessage() {
        Run missing = run("import", "alpine");
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("Missing required option: '--repo=DIR'"), missing.err());
        Run unknown = run("frobnicate");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("Unmatched argument"), unknown.err());
        Run none = run();
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("a command is required"), none.err());
    }

    @Test
    void versionNamesLayerfd() {
        Run r = run("--version");
        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("layerfd "), r.out());
    }
}
