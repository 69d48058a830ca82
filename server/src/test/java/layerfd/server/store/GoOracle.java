package layerfd.server.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Go oracle of server/src/test/go/oracle: built once per source hash (go.mod, go.sum, *.go) into
 * {@code /var/tmp/layerfd-oracle/<hash>/oracle} and run on store copies inside a private mount namespace, since
 * the Go library may write to (and mount in) a store it opens.
 */
final class GoOracle {
    static final Path CACHE = Path.of("/var/tmp/layerfd-oracle");
    /** The containers-storage drivers the oracle needs; the others would pull in cgo. */
    static final String BUILD_TAGS = "exclude_graphdriver_btrfs exclude_graphdriver_devicemapper "
            + "containers_image_openpgp";
    private static final long BUILD_TIMEOUT_SECONDS = 900;
    private static final long RUN_TIMEOUT_SECONDS = 600;
    private static final List<Path> GO_CANDIDATES = List.of(Path.of("/usr/local/go/bin/go"), Path.of("/usr/bin/go"));

    private static Path binary;

    private GoOracle() {}

    /** The oracle binary, built if needed; skips the calling test when Go is not installed. */
    static synchronized Path binary() throws Exception {
        if (binary != null) {
            return binary;
        }
        Optional<Path> go = GO_CANDIDATES.stream().filter(Files::isExecutable).findFirst();
        assumeTrue(go.isPresent(), "the Go oracle needs a Go toolchain at " + GO_CANDIDATES + " (CI has one)");
        Path source = Fixtures.repositoryRoot().resolve("server/src/test/go/oracle");
        Path out = CACHE.resolve(sourceHash(source)).resolve("oracle");
        if (!Files.isExecutable(out)) {
            Files.createDirectories(out.getParent());
            Path tmp = out.resolveSibling("oracle.tmp-" + ProcessHandle.current().pid());
            ProcessBuilder build = new ProcessBuilder(go.get().toString(), "build", "-buildvcs=false", "-tags",
                    BUILD_TAGS, "-o", tmp.toString(), ".").directory(source.toFile()).redirectErrorStream(true);
            // The pinned go.mod decides the dependencies; never switch toolchains behind the test's back.
            build.environment().put("GOTOOLCHAIN", "local");
            String log = run(build, BUILD_TIMEOUT_SECONDS);
            if (!Files.isExecutable(tmp)) {
                throw new IllegalStateException("go build of the oracle failed:\n" + log);
            }
            Files.move(tmp, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        binary = out;
        return out;
    }

    /** Runs the oracle on a store (a copy!) and returns its JSON document. */
    static JsonNode run(StoreLocation copy, List<String> refs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private",
                binary().toString(), "--root", copy.graphRoot().toString(), "--runroot", copy.runRoot().toString(),
                "--driver", copy.driver()));
        for (Path ais : copy.additionalImageStores()) {
            cmd.addAll(List.of("--additional-image-store", ais.toString()));
        }
        for (String ref : refs) {
            cmd.addAll(List.of("--ref", ref));
        }
        Path stderr = Files.createTempFile("oracle", ".log");
        try {
            String out = run(new ProcessBuilder(cmd).redirectError(stderr.toFile()), RUN_TIMEOUT_SECONDS);
            return StoreJson.JSON.readTree(out);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "\n" + Files.readString(stderr), e);
        } finally {
            Files.deleteIfExists(stderr);
        }
    }

    private static String run(ProcessBuilder pb, long timeoutSeconds) throws Exception {
        Process p = pb.start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException(pb.command() + " timed out");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(pb.command() + " exited " + p.exitValue() + ": " + out);
            }
            return out;
        } finally {
            p.destroyForcibly();
        }
    }

    private static String sourceHash(Path source) {
        try (Stream<Path> files = Files.list(source)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                sha.update(f.getFileName().toString().getBytes());
                sha.update((byte) 0);
                sha.update(Files.readAllBytes(f));
            }
            sha.update(BUILD_TAGS.getBytes());
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
