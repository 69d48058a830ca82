package layerfd.server.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import layerfd.server.store.Fixtures;
import layerfd.server.store.StoreLocation;

/**
 * Real podman on a private copy of a fixture store, with the same {@code --root/--runroot/--storage-driver} the
 * server serves, so podman and the server share the store's files and locks. Every run is recorded.
 */
final class Podman {
    /** A podman command that waits this long is stuck (for example behind a lock nobody releases). */
    private static final long TIMEOUT_SECONDS = 120;

    /** One podman command and how it ended. */
    record Run(List<String> args, int exit, long millis, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    private final StoreLocation store;
    private final List<Run> runs = new ArrayList<>();

    Podman(StoreLocation store) {
        this.store = store;
    }

    /**
     * A copy of fixture {@code fixture} under {@code dir} that podman accepts: podman's own database
     * ({@code graph/libpod}) records the path the store was built at and refuses any other, so the copy leaves it
     * out and podman makes a new one. Image and layer records, the only things the server reads, are copied as they are.
     */
    static StoreLocation copyOf(String fixture, Path dir) {
        StoreLocation copy = Fixtures.copy(fixture, dir);
        Fixtures.run(dir, "rm", "-rf", copy.graphRoot().resolve("libpod").toString());
        return copy;
    }

    StoreLocation store() {
        return store;
    }

    /**
     * Runs {@code podman ARGS} on the store, in a private mount namespace (podman leaves its overlay home
     * bind-mounted otherwise, which would outlive the test); never throws on a non-zero exit.
     */
    Run run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "podman",
                "--root", store.graphRoot().toString(), "--runroot", store.runRoot().toString(),
                "--storage-driver", store.driver()));
        command.addAll(List.of(args));
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean exited = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor();
        }
        Run run = new Run(List.of(args), exited ? process.exitValue() : -1,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), output);
        synchronized (runs) {
            runs.add(run);
        }
        return run;
    }

    /** Like {@link #run} but the command must succeed; returns its output. */
    String ok(String... args) throws IOException, InterruptedException {
        Run run = run(args);
        if (!run.ok()) {
            throw new AssertionError("podman " + String.join(" ", args) + " exited " + run.exit() + ": "
                    + run.output());
        }
        return run.output();
    }

    List<Run> runs() {
        synchronized (runs) {
            return List.copyOf(runs);
        }
    }
}
