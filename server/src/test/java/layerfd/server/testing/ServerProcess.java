package layerfd.server.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import layerfd.server.store.StoreLocation;

/**
 * A REAL layerfd server process ({@code layerfd.server.ServerMain}) on the test JVM's class path, serving one store
 * on one socket. Its stderr (the structured log) goes to a file next to the socket.
 */
public final class ServerProcess implements AutoCloseable {
    /** A server on a loaded 2-core machine takes a few seconds to start a JVM. */
    private static final long START_TIMEOUT_MILLIS = 30_000;
    private static final long STOP_TIMEOUT_SECONDS = 30;
    private static final long POLL_MILLIS = 20;
    private static final String LISTENING = "event=listening";

    private final Process process;
    private final Path socket;
    private final Path log;

    private ServerProcess(Process process, Path socket, Path log) {
        this.process = process;
        this.socket = socket;
        this.log = log;
    }

    /** The java command with this JVM's class path; {@code args} follow the main class. */
    public static List<String> command(String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /** The store options of ServerMain for {@code store}. */
    public static List<String> storeArgs(StoreLocation store) {
        return List.of("--root", store.graphRoot().toString(), "--runroot", store.runRoot().toString(),
                "--driver", store.driver());
    }

    /**
     * A server command under {@code systemd-socket-activate -l socket} (the first connection starts the server with
     * LISTEN_FDS=1, fd 3), with extra ServerMain options.
     */
    public static List<String> socketActivatedCommand(Path activate, Path socket, StoreLocation store,
                                                      String... extra) {
        List<String> command = new ArrayList<>(List.of(activate.toString(), "-l", socket.toString()));
        List<String> args = new ArrayList<>(List.of("--socket", socket.toString()));
        args.addAll(storeArgs(store));
        args.addAll(List.of(extra));
        command.addAll(command("layerfd.server.ServerMain", args));
        return command;
    }

    /** Starts a server on {@code socket} for {@code store}, with extra ServerMain options; waits until it listens. */
    public static ServerProcess start(Path socket, StoreLocation store, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("--socket", socket.toString()));
        args.addAll(storeArgs(store));
        args.addAll(List.of(extra));
        return start(new ProcessBuilder(command("layerfd.server.ServerMain", args)), socket);
    }

    /** Starts {@code builder} (a server command) and waits until it logs that it listens. */
    public static ServerProcess start(ProcessBuilder builder, Path socket) throws IOException {
        Path log = socket.resolveSibling(socket.getFileName() + ".log");
        builder.redirectErrorStream(false).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(log.toFile());
        ServerProcess server = new ServerProcess(builder.start(), socket, log);
        server.awaitListening();
        return server;
    }

    private void awaitListening() {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (log().contains(LISTENING) && Files.exists(socket)) {
                return;
            }
            if (!process.isAlive()) {
                fail("server exited with " + process.exitValue() + " before listening:\n" + log());
            }
            sleep();
        }
        process.destroyForcibly();
        fail("server did not listen within " + START_TIMEOUT_MILLIS + " ms:\n" + log());
    }

    public Path socket() {
        return socket;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The server's structured log so far. */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lines of the log for {@code event}. */
    public List<String> events(String event) {
        return log().lines().filter(l -> l.contains(" event=" + event + " ") || l.endsWith(" event=" + event))
                .toList();
    }

    /** Descriptors the server process has open now (/proc/PID/fd). */
    public int openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid() + "/fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the server's fd count is at most {@code expected} (closing happens on other threads). */
    public int settleFds(int expected) {
        int now = openFds();
        for (int i = 0; i < 250 && now > expected; i++) {
            sleep();
            now = openFds();
        }
        return now;
    }

    /** SIGTERM, then waits for the exit; returns the exit status. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("server did not stop within " + STOP_TIMEOUT_SECONDS + " s after SIGTERM:\n" + log());
        }
        return process.exitValue();
    }

    /**
     * SIGTERM to the server JVM when it runs below a wrapper (runuser, which would otherwise end its session with
     * SIGKILL), then waits for the wrapper, which exits with the server's status.
     */
    public int stopWrappedJvm() throws InterruptedException {
        ProcessHandle jvm = process.descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst().orElseThrow(() -> new AssertionError("no server JVM below " + pid()));
        jvm.destroy();
        return awaitExit();
    }

    /** Waits for the process to exit on its own; returns the exit status. */
    public int awaitExit() throws InterruptedException {
        if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("server did not exit within " + STOP_TIMEOUT_SECONDS + " s:\n" + log());
        }
        return process.exitValue();
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "ServerProcess(pid " + pid() + ", " + socket + File.separator + ")";
    }
}
