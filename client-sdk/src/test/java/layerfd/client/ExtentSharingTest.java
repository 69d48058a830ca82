package layerfd.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import layerfd.client.testing.LoopFilesystem;
import org.junit.jupiter.api.Test;

/** On real loop-mounted filesystems: the verdict `layerfd status` prints, and why. */
class ExtentSharingTest {
    @Test
    void sameXfsCanShareEvenForATargetNotYetMade() throws Exception {
        try (LoopFilesystem xfs = LoopFilesystem.mount(LoopFilesystem.Type.XFS)) {
            Path store = Files.createDirectory(xfs.root().resolve("store"));
            ExtentSharing.Verdict v = ExtentSharing.between(store, xfs.root().resolve("repo/not/yet"));
            assertEquals(new ExtentSharing.Verdict(true, "xfs", "xfs", "same xfs filesystem"), v);
        }
    }

    @Test
    void ext4CannotShare() throws Exception {
        try (LoopFilesystem ext4 = LoopFilesystem.mount(LoopFilesystem.Type.EXT4)) {
            ExtentSharing.Verdict v = ExtentSharing.between(ext4.root(), ext4.root().resolve("repo"));
            assertFalse(v.canShare());
            assertEquals("ext4 cannot share extents: reflinks would fail with EOPNOTSUPP", v.reason());
        }
    }

    @Test
    void twoFilesystemsCannotShare() throws Exception {
        try (LoopFilesystem xfs = LoopFilesystem.mount(LoopFilesystem.Type.XFS);
             LoopFilesystem btrfs = LoopFilesystem.mount(LoopFilesystem.Type.BTRFS)) {
            ExtentSharing.Verdict v = ExtentSharing.between(xfs.root(), btrfs.root());
            assertFalse(v.canShare());
            assertTrue(v.reason().startsWith("different filesystems (xfs and btrfs)"), v.reason());
        }
    }
}
