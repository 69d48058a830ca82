package layerfd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import layerfd.client.testing.Extents;
import layerfd.client.testing.LoopFilesystem;
import layerfd.server.store.Fixtures;
import layerfd.server.store.StoreLocation;
import layerfd.server.testing.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path on real filesystems: a podman-made store on XFS, a real server, `layerfd extract` onto the same
 * XFS. The 100 MiB file must share its extents with the store's copy (FIEMAP "shared") and cost no space; onto
 * ext4 `--unified enabled` must refuse, naming the file and the reason.
 */
class ReflinkEndToEndTest {
    /** Metadata an extraction may allocate (directories, inodes, small inline files), far below the big file. */
    private static final long METADATA_SLACK_BYTES = 8L << 20;
    private static final String BIG_FILE = "big/blob.bin";

    @TempDir
    Path dir;

    private static int layerfd(Path socket, StringWriter out, StringWriter err, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--socket", socket.toString()));
        picocli.CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(all.toArray(String[]::new));
    }

    @Test
    void extractOnXfsReflinksEveryLargeFileAndCostsNoSpace() throws Exception {
        try (LoopFilesystem xfs = LoopFilesystem.mount(LoopFilesystem.Type.XFS)) {
            StoreLocation store = Fixtures.copy(Fixtures.ROOT_OVERLAY, xfs.root());
            Path socket = dir.resolve("xfs.sock");
            try (ServerProcess server = ServerProcess.start(socket, store)) {
                long before = xfs.freeBytes();
                Path dest = xfs.root().resolve("rootfs");
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                int exit = layerfd(socket, out, err, "extract", Fixtures.BIG, dest.toString(), "--unified", "enabled",
                        "--json");
                assertEquals(0, exit, err.toString());
                long used = before - xfs.freeBytes();
                long big = Files.size(dest.resolve(BIG_FILE));
                assertTrue(big > 100L << 20, "the fixture's big file: " + big);
                assertTrue(used < METADATA_SLACK_BYTES, "extract used " + used + " bytes for a " + big + "-byte file");
                assertTrue(Extents.allShared(dest.resolve(BIG_FILE)), Extents.flags(dest.resolve(BIG_FILE)).toString());
                assertTrue(out.toString().contains("\"bytesCopied\" : 0"), out.toString());
            }
        }
    }

    @Test
    void enabledOnExt4RefusesNamingTheFileAndTheReason() throws Exception {
        try (LoopFilesystem ext4 = LoopFilesystem.mount(LoopFilesystem.Type.EXT4)) {
            StoreLocation store = Fixtures.copy(Fixtures.ROOT_OVERLAY, ext4.root());
            Path socket = dir.resolve("ext4.sock");
            try (ServerProcess server = ServerProcess.start(socket, store)) {
                Path dest = ext4.root().resolve("rootfs");
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                int exit = layerfd(socket, out, err, "extract", Fixtures.BIG, dest.toString(), "--unified", "enabled");
                assertEquals(1, exit, out.toString());
                assertTrue(err.toString().contains("EOPNOTSUPP") && err.toString().contains("blob.bin"), err.toString());
                assertFalse(Files.exists(dest), "a failed extraction into a new DEST leaves nothing");

                exit = layerfd(socket, out, err, "extract", Fixtures.BIG, dest.toString(), "--unified",
                        "enabled-with-copy");
                assertEquals(0, exit, err.toString());
                assertTrue(Files.size(dest.resolve(BIG_FILE)) > 100L << 20, "copied in full");
                assertFalse(Extents.anyShared(dest.resolve(BIG_FILE)), "ext4 cannot share: the bytes were copied");
                assertFalse(Files.exists(dest.resolve(layerfd.client.apply.ImageExtractor.INCOMPLETE_MARKER)));
            }
        }
    }
}
