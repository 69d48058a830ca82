package layerfd.conformance.support;

import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Rust and Go reference peers (conformance-tests/peers, docs/peers.md), built once per test JVM with build.sh
 * into target/peers, and the Go module's own example echo server built from the module cache. A peer that cannot
 * be built here aborts the test with build.sh's SKIP line, which says why (toolchain or pinned module missing).
 */
public final class ReferencePeers {
    private static final long BUILD_TIMEOUT_MINUTES = 15;
    private static final Path OUT = Path.of("target/peers").toAbsolutePath();
    /** The upstream example, a package of the pinned jsonrpc-fdpass-go module (examples/echo). */
    private static final String GO_EXAMPLE_PACKAGE = "github.com/bootc-dev/jsonrpc-fdpass-go/examples/echo";
    private static String buildOutput;

    private ReferencePeers() {}

    public static Path rustPeer() throws IOException, InterruptedException {
        return built("rust-peer");
    }

    public static Path goPeer() throws IOException, InterruptedException {
        return built("go-peer");
    }

    /**
     * The Go module's example server ({@code echo-example server SOCKET}): echo, readFile, createPipe only. Built
     * with the go command from the Go peer's module, which pins the library; needs the module in the cache,
     * exactly as the Go peer does.
     */
    public static synchronized Path goExampleEchoServer() throws IOException, InterruptedException {
        goPeer();
        Path binary = OUT.resolve("go-echo-example");
        if (Files.isExecutable(binary)) {
            return binary;
        }
        Path log = OUT.resolve("go-echo-example.log");
        List<String> command = List.of("go", "build", "-o", binary.toString(), GO_EXAMPLE_PACKAGE);
        ProcessBuilder builder = new ProcessBuilder(command).directory(peersDirectory().resolve("go").toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("GOTOOLCHAIN", "local");
        builder.environment().put("GOFLAGS", "-buildvcs=false -mod=readonly");
        builder.environment().merge("PATH", "/usr/local/go/bin", (a, b) -> a + ":" + b);
        Process p = builder.start();
        if (!p.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            abort("the Go module's example echo server could not be built: " + Files.readString(log).strip());
        }
        return binary;
    }

    public static Path peersDirectory() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("conformance-tests/peers"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("conformance-tests/peers not found above " + Path.of("").toAbsolutePath());
        }
        return dir.resolve("conformance-tests/peers");
    }

    private static synchronized Path built(String name) throws IOException, InterruptedException {
        if (buildOutput == null) {
            buildOutput = runBuild();
        }
        Path binary = OUT.resolve(name);
        if (!Files.isExecutable(binary)) {
            List<String> skips = new ArrayList<>();
            buildOutput.lines().filter(l -> l.startsWith("SKIP " + name)).forEach(skips::add);
            abort(skips.isEmpty() ? name + " was not built; build.sh said:\n" + buildOutput : String.join("\n", skips));
        }
        return binary;
    }

    private static String runBuild() throws IOException, InterruptedException {
        Files.createDirectories(OUT);
        Path log = OUT.resolve("build.log");
        Process p = new ProcessBuilder("bash", peersDirectory().resolve("build.sh").toString(), OUT.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("build.sh did not finish in " + BUILD_TIMEOUT_MINUTES + " min; see " + log);
        }
        String output = Files.readString(log);
        if (p.exitValue() != 0) {
            throw new IOException("build.sh failed (exit " + p.exitValue() + "):\n" + output);
        }
        return output;
    }
}
