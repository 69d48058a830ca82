package layerfd.server.store.config;

import layerfd.server.store.StoreLocation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The storage.conf rules of containers/storage v1.43 (podman 4.3), on a fake system tree. */
class StoreDiscoveryV143Test {
    private static final String SYSTEM_CONF = """
            [storage]
            driver = "overlay"
            graphroot = "/srv/sys-g"
            runroot = "/srv/sys-r"
            rootless_storage_path = "/srv/rsp-$UID"
            [storage.options]
            additionalimagestores = ["/ais/system"]
            """;

    @TempDir
    Path tmp;
    FakeSystem fs;

    @BeforeEach
    void setUp() throws Exception {
        fs = new FakeSystem(tmp).semantics(ConfigSemantics.V1_43);
    }

    @Test
    void podmanVersionChoosesSemantics() {
        assertEquals(ConfigSemantics.V1_43, ConfigSemantics.forPodmanVersion(Optional.of("podman version 4.3.1")));
        assertEquals(ConfigSemantics.V1_43, ConfigSemantics.forPodmanVersion(Optional.of("podman version 5.6.2")));
        assertEquals(ConfigSemantics.CURRENT, ConfigSemantics.forPodmanVersion(Optional.of("podman version 6.0.0")));
        assertEquals(ConfigSemantics.CURRENT, ConfigSemantics.forPodmanVersion(Optional.of("podman version 10.1")));
        assertEquals(ConfigSemantics.CURRENT, ConfigSemantics.forPodmanVersion(Optional.empty()));
        assertEquals(ConfigSemantics.CURRENT, ConfigSemantics.forPodmanVersion(Optional.of("garbage")));
    }

    @Test
    void rootReadsEtcOverUsrShareAndNoDropIns() throws Exception {
        fs.system("/usr/share/containers/storage.conf", "[storage]\ngraphroot = \"/srv/usr\"\nrunroot = \"/srv/u\"\n");
        Path etc = fs.system("/etc/containers/storage.conf", SYSTEM_CONF);
        fs.system("/etc/containers/storage.conf.d/10.conf", "[storage]\ngraphroot = \"/srv/dropin\"\n");
        StoreLocation loc = fs.discover();
        assertEquals(Path.of("/srv/sys-g"), loc.graphRoot());
        assertEquals(Path.of("/srv/sys-r"), loc.runRoot());
        assertEquals("overlay", loc.driver());
        assertEquals(List.of(Path.of("/ais/system")), loc.additionalImageStores());
        assertEquals(List.of(etc), loc.configSources());
    }

    @Test
    void rootWithoutFilesUsesDefaults() throws Exception {
        StoreLocation loc = fs.discover();
        assertEquals(fs.sys("/var/lib/containers/storage"), loc.graphRoot());
        assertEquals(fs.sys("/run/containers/storage"), loc.runRoot());
        assertEquals("overlay", loc.driver());
    }

    @Test
    void rootFileWithoutRunrootFailsLikePodman() throws Exception {
        Path conf = fs.system("/etc/containers/storage.conf", "[storage]\ndriver = \"vfs\"\ngraphroot = \"/g\"\n");
        StoreConfigException e = assertThrows(StoreConfigException.class, fs::discover);
        assertEquals("storage.conf " + conf + " sets no runroot: containers/storage v1.43 (podman 4.3) takes root's"
                + " runroot only from that file and fails with 'runroot must be set'", e.getMessage());
    }

    @Test
    void rootUsesXdgConfigHomeFileOnlyWhenVariableIsSet() throws Exception {
        fs.system("/etc/containers/storage.conf", SYSTEM_CONF);
        Path user = fs.inHome(".config/containers/storage.conf",
                "[storage]\ngraphroot = \"/srv/home-g\"\nrunroot = \"/srv/home-r\"\n");
        assertEquals(Path.of("/srv/sys-g"), fs.discover().graphRoot());
        fs.env("XDG_CONFIG_HOME", fs.home.resolve(".config").toString());
        StoreLocation loc = fs.discover();
        assertEquals(Path.of("/srv/home-g"), loc.graphRoot());
        assertEquals(List.of(user), loc.configSources());
    }

    @Test
    void rootlessUserFileReplacesSystemFileCompletely() throws Exception {
        fs.rootless().env("XDG_RUNTIME_DIR", "/xdg/run");
        Path system = fs.system("/etc/containers/storage.conf", SYSTEM_CONF);
        Path user = fs.inHome(".config/containers/storage.conf", "[storage]\nrunroot = \"/srv/user-run\"\n");
        DiscoveryReport report = fs.report(StoreOverrides.none());
        StoreLocation loc = report.location();
        assertEquals(Path.of("/srv/user-run"), loc.runRoot());
        // graphroot missing in the user file: the rootless default, which takes the system rootless_storage_path.
        assertEquals(Path.of("/srv/rsp-1001"), loc.graphRoot());
        // No driver in the user file: the store's own priority choice, overlay (oracle-observed), not vfs.
        assertEquals("overlay", loc.driver());
        assertEquals(List.of(), loc.additionalImageStores());
        assertEquals(List.of(system, user), loc.configSources());
        assertTrue(report.notes().contains("rootless: " + user + " replaces the system storage.conf"));
    }

    @Test
    void rootlessWithoutUserFileTakesOnlyStoragePathAndDriverFromSystem() throws Exception {
        fs.rootless().env("XDG_RUNTIME_DIR", "/xdg/run");
        fs.system("/etc/containers/storage.conf", SYSTEM_CONF);
        StoreLocation loc = fs.discover();
        assertEquals(Path.of("/srv/rsp-1001"), loc.graphRoot());
        assertEquals(Path.of("/xdg/run/containers"), loc.runRoot());
        assertEquals("overlay", loc.driver());
        assertEquals(List.of(), loc.additionalImageStores());
    }

    @Test
    void rootlessIgnoresSystemDriverThatIsNotRootlessCapable() throws Exception {
        fs.rootless().env("XDG_RUNTIME_DIR", "/xdg/run");
        fs.system("/etc/containers/storage.conf", "[storage]\ndriver = \"devicemapper\"\n");
        StoreLocation loc = fs.discover();
        assertEquals("vfs", loc.driver());
        assertEquals(fs.home.resolve(".local/share/containers/storage"), loc.graphRoot());
    }

    @Test
    void rootlessDefaultDriverIsVfsButAnExistingOverlayStoreIsDetected() throws Exception {
        fs.rootless().env("XDG_DATA_HOME", tmp.resolve("data").toString()).env("XDG_RUNTIME_DIR", "/xdg/run");
        assertEquals("vfs", fs.discover().driver());
        fs.store(tmp.resolve("data/containers/storage"), "overlay");
        assertEquals("overlay", fs.discover().driver());
    }

    @Test
    void rootlessStorageDriverAndStorageOptsApplyWithoutUserFile() throws Exception {
        fs.rootless().env("XDG_RUNTIME_DIR", "/xdg/run").env("STORAGE_DRIVER", "overlay2")
                .env("STORAGE_OPTS", "overlay.additionalimagestore=/ais/env");
        fs.system("/etc/containers/storage.conf", SYSTEM_CONF);
        StoreLocation loc = fs.discover();
        assertEquals("overlay", loc.driver());
        assertEquals(List.of(Path.of("/ais/env")), loc.additionalImageStores());
    }

    @Test
    void rootlessContainersStorageConfGivesOnlyStoragePathDriverAndImageStores() throws Exception {
        fs.rootless().env("XDG_RUNTIME_DIR", "/xdg/run");
        fs.system("/etc/containers/storage.conf", "[storage]\ndriver = \"btrfs\"\n");
        fs.inHome(".config/containers/storage.conf", "[storage]\ngraphroot = \"/srv/user-file-not-read\"\n");
        Path explicit = fs.file("explicit.conf", SYSTEM_CONF.replace("\"overlay\"", "\"zfs\""));
        fs.env("CONTAINERS_STORAGE_CONF", explicit.toString());
        StoreLocation loc = fs.discover();
        // Oracle-observed with podman 4.3.1: graphroot and runroot of this file are ignored for rootless.
        assertEquals(Path.of("/srv/rsp-1001"), loc.graphRoot());
        assertEquals(Path.of("/xdg/run/containers"), loc.runRoot());
        assertEquals("vfs", loc.driver());
        assertEquals(List.of(Path.of("/ais/system")), loc.additionalImageStores());
        assertEquals(List.of(explicit), loc.configSources());
    }

    @Test
    void malformedSystemFileIsAnErrorEvenWhenUserFileReplacesIt() throws Exception {
        fs.rootless().env("XDG_RUNTIME_DIR", "/xdg/run");
        Path system = fs.system("/usr/share/containers/storage.conf", "[storage\n");
        fs.inHome(".config/containers/storage.conf", "[storage]\n");
        StoreConfigException e = assertThrows(StoreConfigException.class, fs::discover);
        assertTrue(e.getMessage().startsWith("storage.conf " + system + " line 1, column "), e.getMessage());
    }
}
