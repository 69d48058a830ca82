package layerfd.server.store.config.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Asks the installed podman for its version ({@code podman --version}), to choose the storage.conf semantics. */
public final class PodmanVersion {
    /** {@code podman --version} answers in well under a second; a hung podman must not hang discovery. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** The answer is one short line ("podman version 4.3.1"). */
    private static final int MAX_OUTPUT_BYTES = 4096;
    private static final File DEV_NULL = new File("/dev/null");

    private PodmanVersion() {
    }

    /** The first line podman printed, or empty when podman is not installed, fails or does not answer in time. */
    public static Optional<String> probe() {
        Process process;
        try {
            process = new ProcessBuilder("podman", "--version")
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                    .start();
        } catch (IOException notInstalled) {
            return Optional.empty();
        }
        try (InputStream out = process.getInputStream()) {
            // Wait before reading: the one-line answer fits in the pipe buffer, and a podman that never exits must
            // not block a read forever.
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
                return Optional.empty();
            }
            byte[] bytes = out.readNBytes(MAX_OUTPUT_BYTES);
            String text = new String(bytes, StandardCharsets.UTF_8).strip();
            int newline = text.indexOf('\n');
            return Optional.of(newline < 0 ? text : text.substring(0, newline)).filter(s -> !s.isEmpty());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            process.destroyForcibly();
        }
    }
}
