package layerfd.client.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import layerfd.client.ReflinkPolicy;
import layerfd.client.testing.FdLeakCheck;
import layerfd.client.testing.Processes;
import layerfd.client.testing.SampleTree;
import layerfd.client.testing.ServerSplit;
import layerfd.client.testing.TreeManifest;
import layerfd.linux.Credentials;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The oracle for tree semantics: a layer applied by layerfd, from pieces cut the way the server cuts them, must give
 * exactly the tree GNU tar extracts from the same tar (types, modes with setuid/setgid/sticky, owners, sizes,
 * contents, link targets, device numbers, mtimes to the nanosecond, xattrs, hardlink identity).
 */
@ExtendWith(FdLeakCheck.class)
class GnuTarOracleTest {
    /** The sample tree's regular file bytes, each file once (hardlinks carry no data). */
    private static final long SAMPLE_REGULAR_BYTES = 0 + 1 + 4096 + 4097 + 1048576 + 5 + 5 + 10 + 7 + 7 + 7;

    /** A real tree of the host with many files, symlinks and (on Debian) hardlinks. */
    private static final String HOST_TREE = "/usr/share/zoneinfo";

    @TempDir
    static Path shared;
    static Path source;

    @BeforeAll
    static void makeSampleTree() throws IOException {
        Assumptions.assumeTrue(Credentials.effectiveUid() == 0,
                "the sample tree has device nodes, foreign owners and trusted.* xattrs: needs root");
        source = Files.createDirectory(shared.resolve("source"));
        SampleTree.create(source);
        for (String format : new String[] {"posix", "gnu"}) {
            SampleTree.tar(source, format, shared.resolve(format + ".tar"));
        }
    }

    @ParameterizedTest(name = "{0} tar, inline threshold {1}, inline chunks of {2} bytes")
    @CsvSource({
        "posix, 4096, 2147483647",
        "posix, 4096, 1",
        "posix, 4096, 513",
        "posix, 2147483647, 4093",
        "posix, 0, 7",
        "gnu, 4096, 2147483647",
        "gnu, 4096, 1",
        "gnu, 0, 511",
    })
    void layerfdBuildsTheTreeGnuTarBuilds(String format, int inlineThreshold, int chunkBytes, @TempDir Path work)
            throws IOException {
        Path tar = shared.resolve(format + ".tar");
        Path expected = Files.createDirectory(work.resolve("expected"));
        Path actual = Files.createDirectory(work.resolve("actual"));
        Path externals = Files.createDirectory(work.resolve("externals"));
        SampleTree.gnuExtract(tar, expected);

        ServerSplit.Split split = ServerSplit.split(tar, externals, inlineThreshold, chunkBytes);
        ApplyStatistics stats = LayerApplier.apply(LayerInput.of(split.pieces()), actual,
                ApplyOptions.defaults().withReflinkPolicy(ReflinkPolicy.ENABLED_WITH_COPY));

        assertEquals(TreeManifest.of(expected), TreeManifest.of(actual));
        assertEquals(0, stats.skippedDeviceNodes());
        assertEquals(0, stats.xattrsFailed());
        assertEquals(3, stats.specialFiles(), "fifo, char and block device: " + stats);
        assertEquals(5 + 3, stats.links(), "symlinks and hardlinks: " + stats);
        assertEquals(11, stats.files(), stats.toString());
        long fileBytes = stats.bytesReflinked() + stats.bytesCopied() + stats.bytesInline();
        assertEquals(SAMPLE_REGULAR_BYTES, fileBytes, stats.toString());
    }

    @Test
    void aHostTreeOfOverAThousandEntriesMatchesToo(@TempDir Path work) throws IOException {
        Path host = Path.of(HOST_TREE);
        Assumptions.assumeTrue(Files.isDirectory(host), HOST_TREE + " is not installed");
        Path tar = work.resolve("host.tar");
        Processes.check("tar", "--format=posix", "-cf", tar.toString(), "-C", host.getParent().toString(),
                host.getFileName().toString());
        Path expected = Files.createDirectory(work.resolve("expected"));
        Path actual = Files.createDirectory(work.resolve("actual"));
        SampleTree.gnuExtract(tar, expected);

        ServerSplit.Split split = ServerSplit.split(tar, Files.createDirectory(work.resolve("externals")), 1024,
                4093);
        ApplyStatistics stats = LayerApplier.apply(LayerInput.of(split.pieces()), actual, ApplyOptions.defaults());

        String manifest = TreeManifest.of(actual);
        assertEquals(TreeManifest.of(expected), manifest);
        assertTrue(manifest.lines().count() > 1000, "only " + manifest.lines().count() + " entries");
        long externalBytes = 0;
        for (Path external : split.externals()) {
            externalBytes += Files.size(external);
        }
        assertTrue(externalBytes > 0 && stats.bytesInline() > 0, stats.toString());
        assertEquals(externalBytes, stats.bytesCopied(), "DISABLED copies every external file: " + stats);
    }

    @Test
    void sampleTreeHasEveryEntryKind() {
        String manifest = TreeManifest.of(source);
        for (String expected : new String[] {"0o10644", "0o20644", "0o60644", "0o120777", "0o104755", "0o102711",
                "0o100000", "0o42775", "0o41777", "xattr:trusted.layerfd=deadbeef", "xattr:user.binary=00ff10fe00",
                "uid=3000000", "mtime=1614834367123456789", "name-\\xff\\xfe-latin1"}) {
            assertTrue(manifest.contains(expected), expected + " missing in\n" + manifest);
        }
    }
}
