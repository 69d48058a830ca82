package layerfd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import layerfd.client.apply.ImageExtractor;
import layerfd.client.testing.Extents;
import layerfd.client.testing.LoopFilesystem;
import layerfd.client.testing.TreeManifest;
import layerfd.server.store.Fixtures;
import layerfd.server.store.StoreLocation;
import layerfd.server.testing.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole path on real loop-mounted filesystems: a podman-made store, a real server, `layerfd extract`. With store
 * and destination on one XFS or btrfs, the tree equals podman's own mounted view, every file that came as an fd
 * shares its extents with the store's copy (FIEMAP "shared"), and free space barely moves. On ext4 `enabled` refuses
 * and leaves nothing, `enabled-with-copy` gives the same tree; across filesystems EXDEV follows the policy.
 */
class ReflinkEndToEndTest {
    /** Metadata an extraction may allocate (directories, inodes, small inline files), far below the big file. */
    private static final long METADATA_SLACK_BYTES = 8L << 20;
    /** Files above the server's inline threshold arrive as fds, and only those can be reflinked. */
    private static final long INLINE_THRESHOLD = 4096;
    private static final String BIG_FILE = "big/blob.bin";

    @TempDir
    Path dir;

    private static CliRun layerfd(Path socket, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--socket", socket.toString()));
        return CliRun.of(all.toArray(String[]::new));
    }

    @ParameterizedTest
    @EnumSource(value = LoopFilesystem.Type.class, names = {"XFS", "BTRFS"})
    void onOneReflinkFilesystemExtractSharesExtentsAndEqualsPodmansView(LoopFilesystem.Type type) throws Exception {
        try (LoopFilesystem fs = LoopFilesystem.mount(type)) {
            StoreLocation store = Fixtures.copy(Fixtures.ROOT_OVERLAY, fs.root());
            Path socket = dir.resolve("layerfd.sock");
            try (ServerProcess server = ServerProcess.start(socket, store)) {
                long before = fs.freeBytes();
                Path big = fs.root().resolve("big-rootfs");
                CliRun r = layerfd(socket, "extract", Fixtures.BIG, big.toString(), "--unified", "enabled", "--json");
                assertEquals(0, r.exit(), r.err());
                long used = before - fs.freeBytes();
                long size = Files.size(big.resolve(BIG_FILE));
                assertTrue(size > 100L << 20, "the fixture's big file: " + size);
                assertTrue(used < METADATA_SLACK_BYTES, type + ": extract used " + used + " bytes for " + size);
                assertTrue(r.out().contains("\"bytesCopied\" : 0"), r.out());

                Path base = fs.root().resolve("base-rootfs");
                r = layerfd(socket, "extract", Fixtures.BASE, base.toString(), "--unified", "enabled", "--verify");
                assertEquals(0, r.exit(), r.err());
                for (Path root : List.of(big, base)) {
                    for (Path file : externalFiles(root)) {
                        assertTrue(Extents.allShared(file), file + ": " + Extents.flags(file));
                    }
                }
                assertEquals(PodmanView.of(store, Fixtures.BASE, dir), PodmanView.comparable(TreeManifest.of(base)));
                assertEquals(PodmanView.of(store, Fixtures.BIG, dir), PodmanView.comparable(TreeManifest.of(big)));
            }
        }
    }

    @Test
    void onExt4EnabledRefusesAndLeavesNothingWhileEnabledWithCopyGivesTheSameTree() throws Exception {
        try (LoopFilesystem ext4 = LoopFilesystem.mount(LoopFilesystem.Type.EXT4)) {
            StoreLocation store = Fixtures.copy(Fixtures.ROOT_OVERLAY, ext4.root());
            Path socket = dir.resolve("ext4.sock");
            try (ServerProcess server = ServerProcess.start(socket, store)) {
                Path dest = ext4.root().resolve("rootfs");
                CliRun refused = layerfd(socket, "extract", Fixtures.BASE, dest.toString(), "--unified", "enabled");
                assertEquals(1, refused.exit(), refused.out());
                assertTrue(refused.err().contains("EOPNOTSUPP"), refused.err());
                assertFalse(Files.exists(dest), "a failed extraction into a new DEST leaves nothing");

                CliRun copied = layerfd(socket, "extract", Fixtures.BASE, dest.toString(), "--unified",
                        "enabled-with-copy");
                assertEquals(0, copied.exit(), copied.err());
                assertFalse(Files.exists(dest.resolve(ImageExtractor.INCOMPLETE_MARKER)));
                for (Path file : externalFiles(dest)) {
                    assertFalse(Extents.anyShared(file), "ext4 cannot share: " + file);
                }
                assertEquals(PodmanView.of(store, Fixtures.BASE, dir), PodmanView.comparable(TreeManifest.of(dest)));
            }
        }
    }

    @Test
    void acrossFilesystemsExdevFollowsThePolicy() throws Exception {
        try (LoopFilesystem xfs = LoopFilesystem.mount(LoopFilesystem.Type.XFS);
             LoopFilesystem ext4 = LoopFilesystem.mount(LoopFilesystem.Type.EXT4)) {
            StoreLocation store = Fixtures.copy(Fixtures.ROOT_OVERLAY, xfs.root());
            Path socket = dir.resolve("xdev.sock");
            try (ServerProcess server = ServerProcess.start(socket, store)) {
                Path dest = ext4.root().resolve("rootfs");
                CliRun refused = layerfd(socket, "extract", Fixtures.BIG, dest.toString(), "--unified", "enabled");
                assertEquals(1, refused.exit(), refused.out());
                assertTrue(refused.err().contains("EXDEV") && refused.err().contains("blob.bin"), refused.err());
                assertFalse(Files.exists(dest));
                CliRun copied = layerfd(socket, "extract", Fixtures.BIG, dest.toString(), "--unified",
                        "enabled-with-copy", "--verify");
                assertEquals(0, copied.exit(), copied.err());
                assertTrue(Files.size(dest.resolve(BIG_FILE)) > 100L << 20);
            }
        }
    }

    /** Regular files above the inline threshold: the ones that came as fds. */
    private static List<Path> externalFiles(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> {
                        try {
                            return Files.size(p) > INLINE_THRESHOLD;
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).toList();
        }
    }
}
