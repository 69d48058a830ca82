package layerfd.client.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import layerfd.client.apply.ApplyException.Reason;
import layerfd.client.testing.FdLeakCheck;
import layerfd.client.testing.TarSpec;
import layerfd.client.testing.ThreadCapabilities;
import layerfd.linux.Credentials;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What needs privilege: device nodes (CAP_MKNOD), trusted.* xattrs (CAP_SYS_ADMIN), owners (root). Without it they are
 * skipped and counted, or fail when the strict flag is set. The test drops capabilities from its own thread only.
 */
@ExtendWith(FdLeakCheck.class)
class PrivilegeTest {
    @TempDir
    Path work;
    Path dest;

    private static final TarSpec DEVICES = TarSpec.pax()
            .add("char", "null-dev").with("major", 1).with("minor", 3)
            .add("block", "loop-dev").with("major", 7).with("minor", 0)
            .add("fifo", "fifo")
            .file("after", "still applied");
    private static final TarSpec XATTRS = TarSpec.pax()
            .file("x", "x").pax("SCHILY.xattr.trusted.secret", "t").pax("SCHILY.xattr.user.fine", "u");

    @BeforeEach
    void needsRoot() throws IOException {
        Assumptions.assumeTrue(Credentials.effectiveUid() == 0, "dropping capabilities needs root to have them");
        dest = Files.createDirectory(work.resolve("dest"));
    }

    @Test
    void withoutCapMknodDevicesAreSkippedAndCountedButFifosAreMade() throws IOException {
        ApplyStatistics stats;
        ThreadCapabilities dropped = ThreadCapabilities.without(ThreadCapabilities.CAP_MKNOD);
        try {
            stats = LayerApplier.apply(Layers.input(DEVICES, work), dest, ApplyOptions.defaults());
        } finally {
            dropped.close();
        }
        assertEquals(2, stats.skippedDeviceNodes(), stats.toString());
        assertEquals(1, stats.specialFiles(), stats.toString());
        assertFalse(Files.exists(dest.resolve("null-dev"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(dest.resolve("fifo"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("still applied", Files.readString(dest.resolve("after")));
    }

    @Test
    void withoutCapMknodStrictModeFailsNamingTheDevice() throws IOException {
        LayerInput in = Layers.input(DEVICES, work);
        ApplyException e;
        ThreadCapabilities dropped = ThreadCapabilities.without(ThreadCapabilities.CAP_MKNOD);
        try {
            e = assertThrows(ApplyException.class,
                    () -> LayerApplier.apply(in, dest, ApplyOptions.defaults().withStrictSpecialFiles(true)));
        } finally {
            dropped.close();
        }
        assertEquals(Reason.NOT_PERMITTED, e.reason());
        assertEquals("entry 'null-dev': creating device nodes needs CAP_MKNOD (root): EPERM", e.getMessage());
    }

    @Test
    void withoutCapSysAdminTrustedXattrsAreCountedAndUserXattrsStillSet() throws IOException {
        ApplyStatistics stats;
        ThreadCapabilities dropped = ThreadCapabilities.without(ThreadCapabilities.CAP_SYS_ADMIN);
        try {
            stats = LayerApplier.apply(Layers.input(XATTRS, work), dest, ApplyOptions.defaults());
        } finally {
            dropped.close();
        }
        assertEquals(1, stats.xattrsFailed(), stats.toString());
        UserDefinedFileAttributeView view = Files.getFileAttributeView(dest.resolve("x"),
                UserDefinedFileAttributeView.class);
        ByteBuffer value = ByteBuffer.allocate(view.size("fine"));
        view.read("fine", value);
        assertEquals("u", new String(value.array(), StandardCharsets.UTF_8));
    }

    @Test
    void withoutCapSysAdminStrictXattrsFailNamingTheAttribute() throws IOException {
        LayerInput in = Layers.input(XATTRS, work);
        ApplyException e;
        ThreadCapabilities dropped = ThreadCapabilities.without(ThreadCapabilities.CAP_SYS_ADMIN);
        try {
            e = assertThrows(ApplyException.class,
                    () -> LayerApplier.apply(in, dest, ApplyOptions.defaults().withStrictXattrs(true)));
        } finally {
            dropped.close();
        }
        assertEquals(Reason.NOT_PERMITTED, e.reason());
        assertEquals("entry 'x': cannot set the extended attribute trusted.secret (EPERM)", e.getMessage());
    }

    @Test
    void ownersAreKeptOnlyWhenAsked() throws IOException {
        TarSpec owned = TarSpec.pax().file("owned", "o").with("uid", 4321).with("gid", 8765);
        LayerApplier.apply(Layers.input(owned, work), dest, ApplyOptions.defaults().withPreserveOwners(false));
        assertEquals(0, Files.getAttribute(dest.resolve("owned"), "unix:uid"));

        Path second = Files.createDirectory(work.resolve("second"));
        LayerApplier.apply(Layers.input(owned, work), second, ApplyOptions.defaults());
        assertEquals(4321, Files.getAttribute(second.resolve("owned"), "unix:uid"));
        assertEquals(8765, Files.getAttribute(second.resolve("owned"), "unix:gid"));
    }
}
