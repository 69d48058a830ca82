package layerfd.conformance.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A peer program running as its own process, serving on a socket file; output goes to a log beside the socket.
 * {@link #close()} stops it (SIGTERM, then SIGKILL) and waits for it.
 */
public final class PeerProcess implements AutoCloseable {
    private static final long SOCKET_WAIT_MILLIS = 20_000;
    private static final long POLL_MILLIS = 20;
    private static final long STOP_SECONDS = 10;

    private final Process process;
    private final Path log;

    private PeerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} and waits until {@code socket} exists (the peer listens). */
    public static PeerProcess serve(List<String> command, Path socket) throws IOException, InterruptedException {
        Path log = socket.resolveSibling(socket.getFileName() + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PeerProcess peer = new PeerProcess(process, log);
        for (long waited = 0; !Files.exists(socket); waited += POLL_MILLIS) {
            if (!process.isAlive() || waited > SOCKET_WAIT_MILLIS) {
                peer.close();
                throw new IOException(command + " did not listen on " + socket + ":\n" + peer.output());
            }
            Thread.sleep(POLL_MILLIS);
        }
        return peer;
    }

    /** Runs {@code command} to completion and returns its exit status and output. */
    public static Finished run(List<String> command, Path log, long timeoutSeconds)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IOException(command + " did not finish in " + timeoutSeconds + " s:\n" + Files.readString(log));
        }
        return new Finished(process.exitValue(), Files.readString(log));
    }

    public record Finished(int exitCode, String output) {}

    public boolean isAlive() {
        return process.isAlive();
    }

    public String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Waits for the process to exit by itself; its exit status, or -1 if it did not within the time. */
    public int awaitExit(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
