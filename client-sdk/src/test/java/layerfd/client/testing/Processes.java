package layerfd.client.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs real tools (tar, mkfs, mount, python3, filefrag) and fails loudly with their stderr when they fail. */
public final class Processes {
    /** Longest a helper tool may run; mkfs of 512 MiB and tar of 64 MiB take a few seconds. */
    private static final long TIMEOUT_SECONDS = 300;

    private Processes() {}

    /** The result of one run: exit code and both outputs, decoded byte for byte (ISO-8859-1). */
    public record Result(int exitCode, String stdout, String stderr) {
        public Result requireSuccess(List<String> command) {
            if (exitCode != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + exitCode + ": " + stderr
                        + stdout);
            }
            return this;
        }
    }

    public static Result run(List<String> command, byte[] stdin) {
        try {
            Path err = Files.createTempFile("layerfd-proc", ".err");
            try {
                Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
                try (var in = p.getOutputStream()) {
                    in.write(stdin);
                }
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " timed out");
                }
                return new Result(p.exitValue(), new String(out, StandardCharsets.ISO_8859_1),
                        Files.readString(err, StandardCharsets.ISO_8859_1));
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code command} and returns its stdout; any non-zero exit fails. */
    public static String check(String... command) {
        return run(List.of(command), new byte[0]).requireSuccess(List.of(command)).stdout();
    }

    /** Runs a bash script with arguments ($1...), failing on its first failing command. */
    public static String bash(String script, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("bash", "-euo", "pipefail", "-c", script, "bash"));
        command.addAll(List.of(args));
        return run(command, new byte[0]).requireSuccess(command).stdout();
    }

    /** Runs a python3 script given as text, with arguments and stdin. */
    public static String python(String script, byte[] stdin, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("python3", "-c", script));
        command.addAll(List.of(args));
        return run(command, stdin).requireSuccess(List.of("python3", "-c", "<script>", String.join(" ", args)))
                .stdout();
    }

    public static boolean onPath(String tool) {
        return run(List.of("bash", "-c", "command -v " + tool), new byte[0]).exitCode() == 0;
    }
}
