package layerfd.helper;

import static layerfd.helper.TestGraphRoot.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import layerfd.helper.internal.SubordinateIds;
import layerfd.linux.Credentials;
import layerfd.testing.OpenFds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The set-up errors a rootless user meets, each named plainly before or instead of an obscure failure. */
class HelperStartErrorsTest {
    @TempDir
    Path dir;

    @Test
    void podmanNotInstalledIsNamed() throws Exception {
        HelperLaunch direct = HelperLaunch.direct(List.of(dir));
        Map<String, String> env = new HashMap<>(direct.environment());
        env.put("PATH", dir.resolve("no-podman-here").toString());
        UsernsHelper helper = new UsernsHelper(new HelperLaunch(true, direct.java(), direct.classPath(),
                List.of(dir), env));
        HelperException e = assertThrows(HelperException.class,
                () -> helper.openLayerFiles(List.of(dir), List.of(name("x"))));
        assertTrue(e.getMessage().contains("podman is not installed"), e.getMessage());
        assertFalse(helper.isRunning());
        helper.close();
    }

    @Test
    void userWithoutSubordinateIdsIsNamed() throws Exception {
        String user = System.getProperty("user.name");
        assumeFalse(SubordinateIds.hasRange(SubordinateIds.SUBUID, user, Credentials.effectiveUid())
                && SubordinateIds.hasRange(SubordinateIds.SUBGID, user, Credentials.effectiveUid()),
                user + " has sub-id ranges on this machine");
        UsernsHelper helper = new UsernsHelper(HelperLaunch.podmanUnshare(List.of(dir)));
        HelperException e = assertThrows(HelperException.class,
                () -> helper.openLayerFiles(List.of(dir), List.of(name("x"))));
        assertTrue(e.getMessage().contains("has no subordinate id range in /etc/sub"), e.getMessage());
        helper.close();
    }

    @Test
    void helperThatCannotStartReportsHowItEnded() throws Exception {
        int before = OpenFds.count();
        HelperLaunch direct = HelperLaunch.direct(List.of(dir));
        // A class path without the helper: the JVM exits 1 ("Could not find or load main class").
        UsernsHelper helper = new UsernsHelper(new HelperLaunch(false, direct.java(), dir.toString(), List.of(dir),
                direct.environment()));
        HelperException e = assertThrows(HelperException.class,
                () -> helper.openLayerFiles(List.of(dir), List.of(name("x"))));
        assertTrue(e.getMessage().contains("the userns helper did not start: " + direct.java()
                + " exited with status 1"), e.getMessage());
        helper.close();
        assertEquals(before, OpenFds.settle(before));
    }

    @Test
    void helperWithABadGraphRootExitsAndSaysSo() throws Exception {
        UsernsHelper helper = new UsernsHelper(HelperLaunch.direct(List.of(dir.resolve("does-not-exist"))));
        HelperException e = assertThrows(HelperException.class,
                () -> helper.openLayerFiles(List.of(dir), List.of(name("x"))));
        assertTrue(e.getMessage().contains("exited with status 1"), e.getMessage());
        helper.close();
    }
}
