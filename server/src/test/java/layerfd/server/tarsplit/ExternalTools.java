package layerfd.server.tarsplit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The real programs behind the round-trip tests: the Go tool in src/test/go/tarsplit-tool (the real
 * vbatts/tar-split, pinned in its go.mod), the Python tar generator in src/test/python, and GNU tar to extract.
 * Tests that need one skip with a message when it is absent. The Go tool is built once into target/, under a
 * hash of its sources, so repeated runs reuse it.
 */
final class ExternalTools {
    /** CI installs Go here without putting it on PATH. */
    private static final Path GO_FALLBACK = Path.of("/usr/local/go/bin/go");
    private static final List<String> GO_SOURCES = List.of("main.go", "go.mod", "go.sum");
    private static final int HASH_HEX_CHARS = 16;
    private static Path goTool;

    private ExternalTools() {}

    static Path moduleDir() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    }

    private static Optional<Path> onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The built Go tool; skips the calling test if there is no Go toolchain. */
    static synchronized Path goTool() throws IOException, InterruptedException {
        if (goTool != null) {
            return goTool;
        }
        Optional<Path> go = onPath("go").or(() -> Files.isExecutable(GO_FALLBACK) ? Optional.of(GO_FALLBACK)
                : Optional.empty());
        assumeTrue(go.isPresent(), "no Go toolchain on PATH or at " + GO_FALLBACK
                + ": skipping the tests that need the real vbatts/tar-split");
        Path sources = moduleDir().resolve("src/test/go/tarsplit-tool");
        MessageDigest sha = sha256();
        for (String name : GO_SOURCES) {
            sha.update(Files.readAllBytes(sources.resolve(name)));
        }
        String hash = HexFormat.of().formatHex(sha.digest()).substring(0, HASH_HEX_CHARS);
        Path binary = moduleDir().resolve("target/tarsplit-tool/" + hash + "/tarsplit-tool");
        if (!Files.isExecutable(binary)) {
            Files.createDirectories(binary.getParent());
            Path partial = binary.resolveSibling("tarsplit-tool.partial");
            run(sources, Map.of("GOFLAGS", "-mod=mod"), go.get().toString(), "build", "-o", partial.toString(), ".");
            Files.move(partial, binary, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        goTool = binary;
        return binary;
    }

    /** {@code <tar>} disassembled into a tar-split as containers-storage writes it. */
    static void disassemble(Path tar, Path tarSplitGz) throws IOException, InterruptedException {
        run(tar.getParent(), Map.of(), goTool().toString(), "disasm", tar.toString(), tarSplitGz.toString());
    }

    /** Go's CRC-64/ISO of a file. */
    static long goCrc64(Path file) throws IOException, InterruptedException {
        String line = run(file.getParent(), Map.of(), goTool().toString(), "crc64", file.toString());
        return Long.parseUnsignedLong(line.substring(0, line.indexOf(' ')), 16);
    }

    /** Writes test tar {@code name} (see make_tars.py) into {@code dir}; skips the test without python3. */
    static Path makeTar(String name, Path dir) throws IOException, InterruptedException {
        Optional<Path> python = onPath("python3");
        assumeTrue(python.isPresent(), "no python3 on PATH: skipping the tests that generate tars with it");
        Path tar = dir.resolve(name + ".tar");
        run(dir, Map.of("LAYERFD_BIG_FILE", dir.resolve(name + ".source").toString()), python.get().toString(),
                moduleDir().resolve("src/test/python/make_tars.py").toString(), name, tar.toString());
        return tar;
    }

    /** Extracts {@code tar} into a new directory {@code into} with GNU tar, as root keeping devices and modes. */
    static Path extract(Path tar, Path into) throws IOException, InterruptedException {
        Optional<Path> gnuTar = onPath("tar");
        assumeTrue(gnuTar.isPresent(), "no tar on PATH");
        Files.createDirectories(into);
        run(into, Map.of(), gnuTar.get().toString(), "-xpf", tar.toString(), "-C", into.toString());
        return into;
    }

    static String sha256(Path file) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
            }
        }
        return "sha256:" + HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a command to completion; its stdout, or an exception with its stderr when it fails. */
    private static String run(Path dir, Map<String, String> env, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(dir.toFile());
        pb.environment().putAll(env);
        Path err = Files.createTempFile("layerfd-tool", ".stderr");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        String stderr = Files.readString(err);
        Files.delete(err);
        if (rc != 0) {
            throw new IOException(String.join(" ", command) + " exited " + rc + ": " + stderr);
        }
        return out;
    }
}
