package layerfd.client.fuzz;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import layerfd.client.ReflinkPolicy;
import layerfd.client.apply.ApplyException;
import layerfd.client.apply.ApplyOptions;
import layerfd.client.apply.LayerApplier;
import layerfd.client.apply.LayerInput;
import layerfd.client.apply.Piece;
import layerfd.linux.FileIo;
import layerfd.linux.LinuxException;
import layerfd.linux.MemFd;
import layerfd.linux.OwnedFd;
import layerfd.protocol.fuzz.FuzzRecord;
import layerfd.testing.OpenFds;
import org.junit.jupiter.api.Timeout;

/**
 * The layer applier (api-contract §3.3, splitfdstream §1.2 dialect [A]) over any sequence of pieces: the input is a
 * list of {@link FuzzRecord}s, each an inline piece (even tag) or an external file holding the payload (odd tag, a
 * memfd). The destination already holds what a lower layer might: a file, a directory, and symlinks that lead out
 * of it ({@code up -> ..}, {@code out -> ../outside}, {@code abs -> /…/outside}). Properties:
 * <ul>
 *   <li>only {@link ApplyException} comes out, with a message; never a RuntimeException, an Error or a hang;</li>
 *   <li>nothing outside the destination changes: the sandbox around it, including a sibling directory with a file
 *   in it, is the same before and after (entries, modes, owners, times, link counts, contents);</li>
 *   <li>every external fd is closed and no other fd leaks.</li>
 * </ul>
 * Owners are not preserved, so that a fuzzed uid cannot make the sandbox hard to remove.
 */
class LayerApplierFuzzTest {
    private static final int MAX_PIECES = 64;
    private static final ApplyOptions OPTIONS = new ApplyOptions(ReflinkPolicy.DISABLED, false, false, false);

    @FuzzTest
    @Timeout(10)
    void anyPiecesStayInsideTheDestination(byte[] input) throws Exception {
        List<FuzzRecord> records = FuzzRecord.parse(input, MAX_PIECES);
        Path sandbox = Files.createTempDirectory("layerfd-fuzz-apply");
        try {
            Path dest = lowerLayer(sandbox);
            Map<String, String> before = SandboxSnapshot.of(sandbox, dest);
            TreeSet<Integer> fds = OpenFds.snapshot();
            try {
                LayerApplier.apply(LayerInput.of(pieces(records)), dest, OPTIONS);
            } catch (ApplyException e) {
                assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "refusal without a message");
            }
            OpenFds.assertNoneNew(fds, "the layer applier");
            assertEquals(before, SandboxSnapshot.of(sandbox, dest), "something outside the destination changed");
        } finally {
            deleteTree(sandbox);
        }
    }

    /** The destination inside {@code sandbox}, with a sibling directory it must not reach and ways out of it. */
    private static Path lowerLayer(Path sandbox) throws IOException {
        Path outside = Files.createDirectory(sandbox.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "outside the destination");
        Path dest = Files.createDirectory(sandbox.resolve("dest"));
        Files.writeString(dest.resolve("lower"), "from a lower layer");
        Files.createDirectory(dest.resolve("dir"));
        Files.createSymbolicLink(dest.resolve("up"), Path.of(".."));
        Files.createSymbolicLink(dest.resolve("out"), Path.of("../outside"));
        Files.createSymbolicLink(dest.resolve("abs"), outside.toAbsolutePath());
        return dest;
    }

    private static List<Piece> pieces(List<FuzzRecord> records) throws LinuxException {
        List<Piece> pieces = new ArrayList<>(records.size());
        try {
            for (FuzzRecord r : records) {
                boolean inline = r.tag() % 2 == 0;
                pieces.add(inline ? new Piece.InlineBytes(r.bytes()) : new Piece.ExternalFile(memfd(r.bytes())));
            }
        } catch (LinuxException e) {
            pieces.forEach(Piece::close);
            throw e;
        }
        return pieces;
    }

    private static OwnedFd memfd(byte[] content) throws LinuxException {
        OwnedFd fd = MemFd.create("fuzz-external");
        if (content.length > 0) {
            try (Arena arena = Arena.ofConfined()) {
                FileIo.pwriteFully(fd.get(), arena.allocateFrom(JAVA_BYTE, content), 0);
            } catch (LinuxException e) {
                fd.close();
                throw e;
            }
        }
        return fd;
    }

    /** Removes the sandbox without following symlinks; modes the layer set (e.g. 000 directories) are reset. */
    private static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                dir.toFile().setWritable(true, true);
                dir.toFile().setExecutable(true, true);
                dir.toFile().setReadable(true, true);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
