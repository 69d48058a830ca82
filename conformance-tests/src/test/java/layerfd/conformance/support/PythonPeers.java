package layerfd.conformance.support;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Python stdlib peers in conformance-tests/peers/python, run as separate processes with {@code python3}. A
 * machine without python3 skips the tests that need them, with that reason; every other machine runs them.
 */
public final class PythonPeers {
    /** Surefire runs in the module directory. */
    public static final Path FOLDER = Path.of("peers", "python");
    private static final Pattern CLOSING_LINE = Pattern.compile("(?m)^(\\d+) passed, (\\d+) failed$");
    private static final long PROBE_SECONDS = 10;

    private PythonPeers() {}

    /** {@code python3 peers/python/<script> args...}, after checking that python3 and the script are there. */
    public static List<String> command(String script, String... args) throws IOException, InterruptedException {
        assumeTrue(hasPython(), "python3 is not installed: the Python peer cannot run");
        Path path = FOLDER.resolve(script);
        assertTrue(Files.isRegularFile(path), "python peer at " + path.toAbsolutePath());
        List<String> command = new ArrayList<>(List.of("python3", path.toString()));
        command.addAll(List.of(args));
        return command;
    }

    private static boolean hasPython() throws InterruptedException {
        try {
            Process probe = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(PROBE_SECONDS, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** The counts of the one "N passed, N failed" closing line a Python checker printed (as the last line). */
    public static int[] closingCounts(String output) {
        Matcher m = CLOSING_LINE.matcher(output);
        assertTrue(m.find(), "no closing line in:\n" + output);
        int[] counts = {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
        String line = m.group(0);
        assertTrue(!m.find() && output.strip().endsWith(line), "one closing line, the last one:\n" + output);
        return counts;
    }

    /** The check lines ("PASS name...", "FAIL name: why") of a Python checker's output. */
    public static List<String> checkLines(String output) {
        return output.lines().filter(l -> l.startsWith("PASS ") || l.startsWith("FAIL ")).toList();
    }
}
