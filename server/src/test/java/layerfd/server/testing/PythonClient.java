package layerfd.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import layerfd.server.store.Fixtures;

/**
 * Runs the Python stdlib layerfd client, {@code conformance-tests/peers/python/layerfd_client.py} (with its sibling
 * {@code fdpass.py}), as a separate process and parses the JSON it prints.
 */
public final class PythonClient {
    private static final long TIMEOUT_SECONDS = 120;
    private static final ObjectMapper JSON = new ObjectMapper();

    private PythonClient() {}

    public static Path script() {
        return Fixtures.repositoryRoot().resolve("conformance-tests/peers/python/layerfd_client.py");
    }

    /** Runs the client directly. */
    public static JsonNode run(Path socket, String... args) throws IOException, InterruptedException {
        return runWith(List.of(), socket, args);
    }

    /**
     * Runs the client behind {@code prefix} (e.g. {@code runuser -u USER --}, or a shell that lowers
     * {@code ulimit -n}); exit status 0 is required.
     */
    public static JsonNode runWith(List<String> prefix, Path socket, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of("python3", script().toString(), "--socket", socket.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("python client timed out: " + command);
        }
        assertEquals(0, process.exitValue(), "python client failed: " + command + "\n" + err);
        return JSON.readTree(out);
    }

    /** A shell prefix that runs the client with RLIMIT_NOFILE lowered to {@code limit}. */
    public static List<String> withFdLimit(int limit) {
        return List.of("bash", "-c", "ulimit -n " + limit + " && exec \"$@\"", "bash");
    }
}
