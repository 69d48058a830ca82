package layerfd.client.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import layerfd.client.ReflinkPolicy;
import layerfd.client.apply.ApplyException.Reason;
import layerfd.client.testing.Extents;
import layerfd.client.testing.FdLeakCheck;
import layerfd.client.testing.LoopFilesystem;
import layerfd.client.testing.LoopFilesystem.Type;
import layerfd.client.testing.Processes;
import layerfd.client.testing.ServerSplit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The reflink policy on real filesystems (java-platform §4.1), proven by free space and FIEMAP: on XFS and btrfs a
 * 64 MiB external file is shared, not copied; ext4 cannot share (EOPNOTSUPP), nor can two filesystems (EXDEV);
 * DISABLED really copies, even where copy_file_range would have shared.
 */
@ExtendWith(FdLeakCheck.class)
class ReflinkFilesystemTest {
    private static final long BIG = 64L * 1024 * 1024;
    /** Allocation the extraction may cost besides file data: inodes, directories, logs. */
    private static final long METADATA_SLACK = 4L * 1024 * 1024;
    private static final Map<Type, LoopFilesystem> MOUNTED = new EnumMap<>(Type.class);

    @TempDir
    static Path shared;
    static Path tar;

    @BeforeAll
    static void makeLayerWithABigFile() throws IOException {
        Path src = Files.createDirectory(shared.resolve("src"));
        Processes.bash("cd \"$1\" && mkdir usr && head -c " + BIG + " /dev/urandom > usr/big && printf s > small",
                src.toString());
        tar = shared.resolve("layer.tar");
        Processes.check("tar", "--format=posix", "-cf", tar.toString(), "-C", src.toString(), ".");
    }

    @AfterAll
    static void unmountAll() {
        MOUNTED.values().forEach(LoopFilesystem::close);
        MOUNTED.clear();
    }

    /** Each test's source and destination go, so the 512 MiB filesystems never fill up whatever the test order. */
    @AfterEach
    void emptyFilesystems() {
        for (LoopFilesystem fs : MOUNTED.values()) {
            Processes.bash("find \"$1\" -mindepth 1 -maxdepth 1 ! -name lost+found -exec rm -rf {} +",
                    fs.root().toString());
        }
    }

    private static LoopFilesystem fs(Type type) {
        return MOUNTED.computeIfAbsent(type, LoopFilesystem::mount);
    }

    /** The layer's pieces, its external file written onto {@code sourceFs} as a store would hold it. */
    private static ServerSplit.Split layerOn(LoopFilesystem sourceFs, String name) throws IOException {
        Path dir = Files.createDirectory(sourceFs.root().resolve(name + "-source"));
        return ServerSplit.split(tar, dir, ServerSplit.SERVER_INLINE_THRESHOLD, ServerSplit.WHOLE);
    }

    private static ApplyStatistics extract(ServerSplit.Split split, Path dest, ReflinkPolicy policy)
            throws IOException {
        return ImageExtractor.extract(List.of(new LayerSource("big", () -> LayerInput.of(split.pieces()))), dest,
                ApplyOptions.defaults().withReflinkPolicy(policy), ExtractProgress.NONE);
    }

    @ParameterizedTest(name = "{1} on {0}")
    @CsvSource({"XFS, ENABLED", "XFS, ENABLED_WITH_COPY", "BTRFS, ENABLED", "BTRFS, ENABLED_WITH_COPY"})
    void reflinkSharesExtentsAndCostsNoSpace(Type type, ReflinkPolicy policy) throws IOException {
        LoopFilesystem fs = fs(type);
        String name = "share-" + policy;
        ServerSplit.Split split = layerOn(fs, name);
        Path dest = fs.root().resolve(name);
        long before = fs.freeBytes();

        ApplyStatistics stats = extract(split, dest, policy);

        long after = fs.freeBytes();
        Path source = split.externals().getFirst();
        Path copy = dest.resolve("usr/big");
        System.out.printf("EVIDENCE %s %s: free %d -> %d KiB (delta %d KiB); source %s; destination %s%n", type,
                policy, before / 1024, after / 1024, (before - after) / 1024, Extents.flags(source),
                Extents.flags(copy));
        assertEquals(BIG, stats.bytesReflinked(), stats.toString());
        assertEquals(0, stats.bytesCopied(), stats.toString());
        assertTrue(before - after < METADATA_SLACK, "free space fell by " + (before - after) + " bytes");
        assertTrue(Extents.allShared(source), "source extents: " + Extents.flags(source));
        assertTrue(Extents.allShared(copy), "destination extents: " + Extents.flags(copy));
        assertEquals(-1, Files.mismatch(source, copy));
    }

    @Test
    void disabledReallyCopiesOnXfs() throws IOException {
        LoopFilesystem fs = fs(Type.XFS);
        ServerSplit.Split split = layerOn(fs, "disabled");
        Path dest = fs.root().resolve("disabled");
        long before = fs.freeBytes();

        ApplyStatistics stats = extract(split, dest, ReflinkPolicy.DISABLED);

        long after = fs.freeBytes();
        Path copy = dest.resolve("usr/big");
        System.out.printf("EVIDENCE XFS DISABLED: free %d -> %d KiB (delta %d KiB); destination %s%n",
                before / 1024, after / 1024, (before - after) / 1024, Extents.flags(copy));
        assertEquals(BIG, stats.bytesCopied(), stats.toString());
        assertEquals(0, stats.bytesReflinked(), stats.toString());
        assertTrue(before - after >= BIG, "free space fell by only " + (before - after) + " bytes");
        assertFalse(Extents.anyShared(copy), "destination extents: " + Extents.flags(copy));
        assertFalse(Extents.anyShared(split.externals().getFirst()));
        assertEquals(-1, Files.mismatch(split.externals().getFirst(), copy));
    }

    @Test
    void enabledOnExt4FailsNamingEopnotsuppAndTheFile() throws IOException {
        LoopFilesystem fs = fs(Type.EXT4);
        ServerSplit.Split split = layerOn(fs, "ext4-enabled");
        Path dest = fs.root().resolve("ext4-enabled");

        ApplyException e = assertThrows(ApplyException.class, () -> extract(split, dest, ReflinkPolicy.ENABLED));

        assertEquals(Reason.REFLINK_REFUSED, e.reason());
        assertEquals("layer 1 of 1 (big): entry './usr/big': cannot reflink (EOPNOTSUPP): the destination "
                + "filesystem cannot share extents; the reflink policy is 'enabled', which does not copy (use "
                + "'enabled-with-copy' to copy instead)", e.getMessage());
        assertFalse(Files.exists(dest));
    }

    @Test
    void enabledWithCopyOnExt4CopiesIdenticalBytes() throws IOException {
        LoopFilesystem fs = fs(Type.EXT4);
        ServerSplit.Split split = layerOn(fs, "ext4-copy");
        Path dest = fs.root().resolve("ext4-copy");

        ApplyStatistics stats = extract(split, dest, ReflinkPolicy.ENABLED_WITH_COPY);

        assertEquals(BIG, stats.bytesCopied(), stats.toString());
        assertEquals(0, stats.bytesReflinked());
        assertEquals(1, stats.bytesInline());
        assertEquals(-1, Files.mismatch(split.externals().getFirst(), dest.resolve("usr/big")));
    }

    @Test
    void enabledFromXfsOntoExt4FailsNamingExdev() throws IOException {
        ServerSplit.Split split = layerOn(fs(Type.XFS), "cross-enabled");
        Path dest = fs(Type.EXT4).root().resolve("cross-enabled");

        ApplyException e = assertThrows(ApplyException.class, () -> extract(split, dest, ReflinkPolicy.ENABLED));

        assertEquals(Reason.REFLINK_REFUSED, e.reason());
        assertTrue(e.getMessage().contains("entry './usr/big': cannot reflink (EXDEV): the source and the "
                + "destination are on different filesystems"), e.getMessage());
    }

    @Test
    void enabledWithCopyFromXfsOntoExt4FallsBackToCopying() throws IOException {
        ServerSplit.Split split = layerOn(fs(Type.XFS), "cross-copy");
        Path dest = fs(Type.EXT4).root().resolve("cross-copy");

        ApplyStatistics stats = extract(split, dest, ReflinkPolicy.ENABLED_WITH_COPY);

        assertEquals(BIG, stats.bytesCopied(), stats.toString());
        assertEquals(-1, Files.mismatch(split.externals().getFirst(), dest.resolve("usr/big")));
    }
}
