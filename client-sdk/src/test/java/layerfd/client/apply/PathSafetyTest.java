package layerfd.client.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import layerfd.client.apply.ApplyException.Reason;
import layerfd.client.testing.FdLeakCheck;
import layerfd.client.testing.TarSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Entries that would leave the destination or write through a symlink are refused with a clear error, and nothing
 * is written outside the destination: a sibling directory stays empty and /etc/passwd gains no link.
 */
@ExtendWith(FdLeakCheck.class)
class PathSafetyTest {
    @TempDir
    Path work;
    Path dest;
    Path outside;
    int passwdLinks;

    @BeforeEach
    void makeDirectories() throws IOException {
        dest = Files.createDirectory(work.resolve("dest"));
        outside = Files.createDirectory(work.resolve("outside"));
        passwdLinks = (Integer) Files.getAttribute(Path.of("/etc/passwd"), "unix:nlink");
    }

    private ApplyException refused(TarSpec spec) throws IOException {
        LayerInput in = Layers.input(spec, work);
        ApplyException e = assertThrows(ApplyException.class,
                () -> LayerApplier.apply(in, dest, ApplyOptions.defaults()));
        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(List.of(), s.toList(), "written outside the destination");
        }
        assertEquals(passwdLinks, (int) (Integer) Files.getAttribute(Path.of("/etc/passwd"), "unix:nlink"));
        return e;
    }

    @Test
    void dotDotPathIsRefused() throws IOException {
        ApplyException e = refused(TarSpec.pax().file("../outside/x", "evil"));
        assertEquals(Reason.UNSAFE_PATH, e.reason());
        assertEquals("entry '../outside/x': the path '../outside/x' leaves the destination", e.getMessage());
    }

    @Test
    void dotDotInTheMiddleThatClimbsOutIsRefused() throws IOException {
        ApplyException e = refused(TarSpec.pax().dir("a").file("a/../../outside/x", "evil"));
        assertEquals(Reason.UNSAFE_PATH, e.reason());
        assertTrue(e.getMessage().contains("leaves the destination"), e.getMessage());
    }

    @Test
    void absolutePathIsRefused() throws IOException {
        ApplyException e = refused(TarSpec.gnu().file(outside.resolve("abs").toString(), "evil"));
        assertEquals(Reason.UNSAFE_PATH, e.reason());
        assertTrue(e.getMessage().endsWith("is absolute; layer paths are relative to the destination"),
                e.getMessage());
    }

    @Test
    void hardlinkToEtcPasswdIsRefused() throws IOException {
        ApplyException e = refused(TarSpec.pax().hardlink("passwd", "/etc/passwd"));
        assertEquals(Reason.UNSAFE_PATH, e.reason());
        assertEquals("entry 'passwd': the hardlink target '/etc/passwd' is absolute; layer paths are relative to "
                + "the destination", e.getMessage());
    }

    @Test
    void hardlinkClimbingToEtcPasswdIsRefused() throws IOException {
        ApplyException e = refused(TarSpec.pax().hardlink("passwd", "../../../../../../../../etc/passwd"));
        assertEquals(Reason.UNSAFE_PATH, e.reason());
        assertTrue(e.getMessage().contains("leaves the destination"), e.getMessage());
    }

    @Test
    void fileThroughASymlinkPlantedByAnEarlierEntryIsRefused() throws IOException {
        ApplyException e = refused(TarSpec.pax().symlink("evil", outside.toString()).file("evil/x", "evil"));
        assertEquals(Reason.UNSAFE_PATH, e.reason());
        assertEquals("entry 'evil/x': 'evil' is a symlink (or lies beneath one); writing through a symlink is "
                + "refused", e.getMessage());
        assertTrue(Files.isSymbolicLink(dest.resolve("evil")));
    }

    @Test
    void fileThroughASymlinkToTheDestinationItselfIsRefusedToo() throws IOException {
        ApplyException e = refused(TarSpec.pax().dir("d").symlink("loop", ".").file("loop/d/x", "x"));
        assertEquals(Reason.UNSAFE_PATH, e.reason());
    }

    @Test
    void symlinkReplacingADirectoryCannotBeWrittenThroughByALaterEntry() throws IOException {
        ApplyException e = refused(TarSpec.pax().dir("d").symlink("d", outside.toString()).file("d/x", "evil"));
        assertEquals(Reason.UNSAFE_PATH, e.reason());
    }

    @Test
    void hardlinkTargetThroughASymlinkIsRefused() throws IOException {
        ApplyException e = refused(TarSpec.pax().symlink("etc", "/etc").hardlink("passwd", "etc/passwd"));
        assertEquals(Reason.UNSAFE_PATH, e.reason());
        assertTrue(e.getMessage().startsWith("entry 'passwd': 'etc' is a symlink"), e.getMessage());
    }

    @Test
    void whiteoutThroughASymlinkIsRefused() throws IOException {
        Files.writeString(outside.resolve("victim"), "keep me");
        LayerInput in = Layers.input(TarSpec.pax().symlink("evil", outside.toString()).file("evil/.wh.victim", ""),
                work);
        ApplyException e = assertThrows(ApplyException.class,
                () -> LayerApplier.apply(in, dest, ApplyOptions.defaults()));
        assertEquals(Reason.UNSAFE_PATH, e.reason());
        assertEquals("keep me", Files.readString(outside.resolve("victim")));
    }

    @Test
    void whiteoutNamingTheParentIsRefused() throws IOException {
        ApplyException e = refused(TarSpec.pax().dir("a").file("a/.wh..", ""));
        assertEquals(Reason.UNSAFE_PATH, e.reason());
    }

    @Test
    void symlinksMayPointAnywhereBecauseNothingFollowsThem() throws IOException {
        LayerApplier.apply(Layers.input(TarSpec.pax().symlink("abs", "/etc/passwd").symlink("up", "../../x"), work),
                dest, ApplyOptions.defaults());
        assertEquals(Path.of("/etc/passwd"), Files.readSymbolicLink(dest.resolve("abs")));
        assertEquals(Path.of("../../x"), Files.readSymbolicLink(dest.resolve("up")));
        assertTrue(Files.exists(dest.resolve("abs"), LinkOption.NOFOLLOW_LINKS));
    }
}
