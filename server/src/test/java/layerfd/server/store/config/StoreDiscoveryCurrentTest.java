package layerfd.server.store.config;

import layerfd.server.store.StoreLocation;
import layerfd.testing.OpenFds;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The storage.conf matrix under current containers/storage rules, on a fake system tree. */
class StoreDiscoveryCurrentTest {
    @TempDir
    Path tmp;
    FakeSystem fs;

    @BeforeEach
    void setUp() throws Exception {
        fs = new FakeSystem(tmp);
    }

    @Test
    void noFilesGiveRootDefaults() throws Exception {
        StoreLocation loc = fs.discover();
        assertEquals(fs.sys("/var/lib/containers/storage"), loc.graphRoot());
        assertEquals(fs.sys("/run/containers/storage"), loc.runRoot());
        assertEquals("overlay", loc.driver());
        assertEquals(List.of(), loc.configSources());
        assertEquals(List.of(), loc.additionalImageStores());
        assertEquals(Optional.empty(), loc.imageStore());
        assertFalse(loc.rootless());
    }

    @Test
    void usrShareFileAloneIsRead() throws Exception {
        Path conf = fs.system("/usr/share/containers/storage.conf",
                "[storage]\ndriver = \"vfs\"\ngraphroot = \"/srv/g\"\nrunroot = \"/srv/r\"\n");
        StoreLocation loc = fs.discover();
        assertEquals(Path.of("/srv/g"), loc.graphRoot());
        assertEquals(Path.of("/srv/r"), loc.runRoot());
        assertEquals("vfs", loc.driver());
        assertEquals(List.of(conf), loc.configSources());
    }

    @Test
    void etcFileReplacesUsrShareFileWhole() throws Exception {
        fs.system("/usr/share/containers/storage.conf", "[storage]\ndriver = \"vfs\"\nrunroot = \"/srv/r\"\n");
        Path etc = fs.system("/etc/containers/storage.conf", "[storage]\ngraphroot = \"/srv/etc\"\n");
        StoreLocation loc = fs.discover();
        assertEquals(Path.of("/srv/etc"), loc.graphRoot());
        // Only one main file is read: /usr/share's runroot and driver do not leak through.
        assertEquals(fs.sys("/run/containers/storage"), loc.runRoot());
        assertEquals("overlay", loc.driver());
        assertEquals(List.of(etc), loc.configSources());
    }

    @Test
    void userFileIsTheMainFileEvenForRoot() throws Exception {
        fs.system("/etc/containers/storage.conf", "[storage]\ngraphroot = \"/srv/etc\"\n");
        Path user = fs.inHome(".config/containers/storage.conf", "[storage]\ngraphroot = \"/srv/user\"\n");
        StoreLocation loc = fs.discover();
        assertEquals(Path.of("/srv/user"), loc.graphRoot());
        assertEquals(List.of(user), loc.configSources());
    }

    @Test
    void xdgConfigHomeLocatesTheUserFile() throws Exception {
        fs.inHome(".config/containers/storage.conf", "[storage]\ngraphroot = \"/srv/home\"\n");
        Path xdg = fs.file("xdg/containers/storage.conf", "[storage]\ngraphroot = \"/srv/xdg\"\n");
        fs.env("XDG_CONFIG_HOME", tmp.resolve("xdg").toString());
        StoreLocation loc = fs.discover();
        assertEquals(Path.of("/srv/xdg"), loc.graphRoot());
        assertEquals(List.of(xdg), loc.configSources());
    }

    @Test
    void containersStorageConfIsReadAloneWithoutDropIns() throws Exception {
        fs.system("/etc/containers/storage.conf", "[storage]\nrunroot = \"/srv/etc-run\"\n");
        fs.system("/etc/containers/storage.conf.d/50-x.conf", "[storage]\ndriver = \"vfs\"\n");
        Path explicit = fs.file("explicit.conf", "[storage]\ngraphroot = \"/srv/explicit\"\n");
        fs.env("CONTAINERS_STORAGE_CONF", explicit.toString());
        StoreLocation loc = fs.discover();
        assertEquals(Path.of("/srv/explicit"), loc.graphRoot());
        assertEquals(fs.sys("/run/containers/storage"), loc.runRoot());
        assertEquals("overlay", loc.driver());
        assertEquals(List.of(explicit), loc.configSources());
    }

    @Test
    void missingContainersStorageConfIsAnErrorNamingVariableAndPath() {
        fs.env("CONTAINERS_STORAGE_CONF", tmp.resolve("nope.conf").toString());
        StoreConfigException e = assertThrows(StoreConfigException.class, fs::discover);
        assertEquals("CONTAINERS_STORAGE_CONF names " + tmp.resolve("nope.conf") + ", which does not exist",
                e.getMessage());
    }

    @Test
    void dropInsAreSortedByNameAndLaterDirectoriesReplaceSameNamedFiles() throws Exception {
        Path main = fs.system("/usr/share/containers/storage.conf",
                "[storage]\ngraphroot = \"/srv/main\"\nrunroot = \"/srv/main-run\"\n");
        fs.system("/usr/share/containers/storage.conf.d/10-vendor.conf", "[storage]\ndriver = \"vfs\"\n");
        Path etc10 = fs.system("/etc/containers/storage.conf.d/10-vendor.conf",
                "[storage]\ngraphroot = \"/srv/etc10\"\n");
        Path usr20 = fs.system("/usr/share/containers/storage.rootful.conf.d/20-a.conf",
                "[storage]\ngraphroot = \"/srv/usr20\"\nrunroot = \"/srv/usr20-run\"\n");
        Path user30 = fs.inHome(".config/containers/storage.conf.d/30-user.conf",
                "[storage]\nrunroot = \"/srv/user30-run\"\n");
        fs.system("/etc/containers/storage.conf.d/40-not-a-drop-in.toml", "[storage]\ndriver = \"btrfs\"\n");
        fs.system("/etc/containers/storage.rootless.conf.d/50-rootless-only.conf", "[storage]\ndriver = \"btrfs\"\n");
        StoreLocation loc = fs.discover();
        // 10-vendor.conf from /usr/share (driver vfs) is replaced by /etc's 10-vendor.conf.
        assertEquals("overlay", loc.driver());
        assertEquals(Path.of("/srv/usr20"), loc.graphRoot());
        assertEquals(Path.of("/srv/user30-run"), loc.runRoot());
        assertEquals(List.of(main, etc10, usr20, user30), loc.configSources());
    }

    @Test
    void discoveryAndItsErrorsLeaveNoDescriptorOpen() throws Exception {
        fs.system("/usr/share/containers/storage.conf.d/10.conf", "[storage]\ndriver = \"vfs\"\n");
        fs.system("/etc/containers/storage.conf", "[storage]\ngraphroot = \"/srv/g\"\n");
        int before = OpenFds.count();
        for (int i = 0; i < 20; i++) {
            assertEquals("vfs", fs.discover().driver());
        }
        fs.system("/etc/containers/storage.conf.d/20-bad.conf", "[storage\n");
        for (int i = 0; i < 20; i++) {
            assertThrows(StoreConfigException.class, fs::discover);
        }
        assertEquals(before, OpenFds.settle(before));
    }

    @Test
    void unsupportedArrayAttributeIsAnError() throws Exception {
        Path conf = fs.system("/etc/containers/storage.conf",
                "[storage.options]\nadditionalimagestores = [\"/a\", {prepend = true}]\n");
        StoreConfigException e = assertThrows(StoreConfigException.class, fs::discover);
        assertEquals("storage.conf " + conf + " line 2: key storage.options.additionalimagestores has unsupported"
                + " attribute 'prepend' (only 'append' is allowed)", e.getMessage());
    }

    @Test
    void rootlessReadsRootlessAndPerUidDropIns() throws Exception {
        fs.rootless();
        Path a = fs.system("/usr/share/containers/storage.rootless.conf.d/10-a.conf",
                "[storage]\ngraphroot = \"/srv/rootless\"\n");
        Path b = fs.system("/etc/containers/storage.rootless.conf.d/1001/20-b.conf",
                "[storage]\nrunroot = \"/srv/uid-run\"\n");
        fs.system("/etc/containers/storage.rootless.conf.d/1002/20-b.conf", "[storage]\ndriver = \"btrfs\"\n");
        fs.system("/etc/containers/storage.rootful.conf.d/30-c.conf", "[storage]\ndriver = \"btrfs\"\n");
        StoreLocation loc = fs.discover();
        assertEquals(Path.of("/srv/rootless"), loc.graphRoot());
        assertEquals(Path.of("/srv/uid-run"), loc.runRoot());
        assertEquals(List.of(a, b), loc.configSources());
        assertTrue(loc.rootless());
    }

    @Test
    void overrideFileIsAppliedLastEvenAfterContainersStorageConf() throws Exception {
        Path explicit = fs.file("explicit.conf", "[storage]\ngraphroot = \"/srv/explicit\"\ndriver = \"vfs\"\n");
        Path override = fs.file("override.conf", "[storage]\ngraphroot = \"/srv/override\"\n");
        fs.env("CONTAINERS_STORAGE_CONF", explicit.toString()).env("CONTAINERS_STORAGE_CONF_OVERRIDE",
                override.toString());
        StoreLocation loc = fs.discover();
        assertEquals(Path.of("/srv/override"), loc.graphRoot());
        assertEquals("vfs", loc.driver());
        assertEquals(List.of(explicit, override), loc.configSources());
    }

    @Test
    void missingOverrideFileIsAnError() {
        fs.env("CONTAINERS_STORAGE_CONF_OVERRIDE", "/nonexistent/override.conf");
        StoreConfigException e = assertThrows(StoreConfigException.class, fs::discover);
        assertEquals("CONTAINERS_STORAGE_CONF_OVERRIDE names /nonexistent/override.conf, which does not exist",
                e.getMessage());
    }

    @Test
    void mixedArraysReplaceOrAppendAdditionalImageStores() throws Exception {
        fs.system("/etc/containers/storage.conf",
                "[storage.options]\nadditionalimagestores = [\"/ais/main\"]\n");
        fs.system("/etc/containers/storage.conf.d/10-replace.conf",
                "[storage.options]\nadditionalimagestores = [\"/ais/a\", \"/ais/b\"]\n");
        fs.system("/etc/containers/storage.conf.d/20-append.conf",
                "[storage.options]\nadditionalimagestores = [\"/ais/c\", {append = true}]\n");
        assertEquals(List.of(Path.of("/ais/a"), Path.of("/ais/b"), Path.of("/ais/c")),
                fs.discover().additionalImageStores());
    }

    @Test
    void storageDriverReplacesConfiguredDriverAndOverlay2IsRenamed() throws Exception {
        fs.system("/etc/containers/storage.conf", "[storage]\ndriver = \"vfs\"\n");
        fs.env("STORAGE_DRIVER", "overlay2");
        DiscoveryReport report = fs.report(StoreOverrides.none());
        assertEquals("overlay", report.location().driver());
        assertTrue(report.notes().contains("driver overlay from STORAGE_DRIVER"), report.notes().toString());
    }

    @Test
    void overlay2InConfigurationIsRenamed() throws Exception {
        fs.system("/etc/containers/storage.conf", "[storage]\ndriver = \"overlay2\"\n");
        fs.store(fs.sys("/var/lib/containers/storage"), "vfs");
        assertEquals("overlay", fs.discover().driver());
    }

    @Test
    void storageOptsReplacesConfiguredImageStores() throws Exception {
        fs.system("/etc/containers/storage.conf",
                "[storage]\ndriver = \"vfs\"\n[storage.options]\nadditionalimagestores = [\"/ais/conf\"]\n");
        fs.env("STORAGE_OPTS", "additionalimagestore=/ais/ignored-by-vfs,imagestore=/ais/p,overlay.imagestore=/ais/o,"
                + "vfs.imagestore=/ais/v");
        assertEquals(List.of(Path.of("/ais/p"), Path.of("/ais/v")), fs.discover().additionalImageStores());
    }

    @Test
    void storageOptsEntryWithoutEqualsIsAnError() throws Exception {
        fs.env("STORAGE_OPTS", "imagestore");
        StoreConfigException e = assertThrows(StoreConfigException.class, fs::discover);
        assertEquals("storage driver option 'imagestore' is not of the form key=value", e.getMessage());
    }

    @Test
    void uidAndEnvironmentVariablesAndSymlinksAreExpanded() throws Exception {
        fs.rootless();
        Path real = Files.createDirectories(tmp.resolve("real-1001"));
        Files.createSymbolicLink(tmp.resolve("link-1001"), real);
        fs.env("HOME", fs.home.toString()).env("BASE", tmp.toString());
        fs.system("/etc/containers/storage.conf",
                "[storage]\ngraphroot = \"${BASE}/link-$UID\"\nrunroot = \"$HOME/run-$UID/x/../y\"\n");
        StoreLocation loc = fs.discover();
        assertEquals(real.toRealPath(), loc.graphRoot());
        assertEquals(fs.home.resolve("run-1001/y"), loc.runRoot());
    }

    @Test
    void rootlessStoragePathAppliesOnlyWithoutGraphroot() throws Exception {
        fs.rootless();
        fs.system("/etc/containers/storage.conf", "[storage]\nrootless_storage_path = \"/srv/rsp-$UID\"\n");
        assertEquals(Path.of("/srv/rsp-1001"), fs.discover().graphRoot());
        fs.system("/etc/containers/storage.conf.d/10.conf", "[storage]\ngraphroot = \"/srv/g\"\n");
        assertEquals(Path.of("/srv/g"), fs.discover().graphRoot());
    }

    @Test
    void malformedTomlNamesFileAndLine() throws Exception {
        Path conf = fs.system("/etc/containers/storage.conf", "[storage]\ndriver = \"overlay\"\ngraphroot = = 3\n");
        StoreConfigException e = assertThrows(StoreConfigException.class, fs::discover);
        assertTrue(e.getMessage().startsWith("storage.conf " + conf + " line 3, column "), e.getMessage());
    }

    @Test
    void wrongTypeNamesFileKeyAndLine() throws Exception {
        Path conf = fs.system("/etc/containers/storage.conf", "[storage]\n\ngraphroot = 42\n");
        StoreConfigException e = assertThrows(StoreConfigException.class, fs::discover);
        assertEquals("storage.conf " + conf + " line 3: key storage.graphroot must be a string", e.getMessage());
    }

    @Test
    void nonStringArrayItemIsAnError() throws Exception {
        Path conf = fs.system("/etc/containers/storage.conf", "[storage.options]\nadditionalimagestores = [\"/a\", 7]\n");
        StoreConfigException e = assertThrows(StoreConfigException.class, fs::discover);
        assertEquals("storage.conf " + conf + " line 2: key storage.options.additionalimagestores[1] must be a path"
                + " string or an attribute table", e.getMessage());
    }

    @Test
    void unsupportedDriverIsAClearError() throws Exception {
        Path conf = fs.system("/etc/containers/storage.conf", "[storage]\ndriver = \"btrfs\"\n");
        StoreConfigException e = assertThrows(StoreConfigException.class, fs::discover);
        assertEquals("storage driver 'btrfs' (from " + conf + ") is not supported: layerfd reads overlay and vfs"
                + " stores", e.getMessage());
    }

    @Test
    void driverIsDetectedFromLayersJsonOverlayFirst() throws Exception {
        Path graph = fs.sys("/var/lib/containers/storage");
        fs.store(graph, "vfs");
        DiscoveryReport report = fs.report(StoreOverrides.none());
        assertEquals("vfs", report.location().driver());
        assertTrue(report.notes().contains("driver vfs detected from " + graph.resolve("vfs-layers/layers.json")));
        fs.store(graph, "overlay");
        assertEquals("overlay", fs.discover().driver());
    }

    @Test
    void rootlessDefaultsUseXdgDirectories() throws Exception {
        fs.rootless().env("XDG_DATA_HOME", "/xdg/data").env("XDG_RUNTIME_DIR", "/xdg/run");
        StoreLocation loc = fs.discover();
        assertEquals(Path.of("/xdg/data/containers/storage"), loc.graphRoot());
        assertEquals(Path.of("/xdg/run/containers"), loc.runRoot());
        assertEquals("overlay", loc.driver());
        assertTrue(loc.rootless());
    }

    @Test
    void rootlessDefaultsFallBackToHomeAndRunUserOwnedByTheUser() throws Exception {
        fs.rootless();
        Path runUser = Files.createDirectories(fs.sys("/run/user/1001"));
        Files.setAttribute(runUser, "unix:uid", FakeSystem.USER);
        Files.setAttribute(runUser, "unix:mode", 0700);
        StoreLocation loc = fs.discover();
        assertEquals(fs.home.resolve(".local/share/containers/storage"), loc.graphRoot());
        assertEquals(runUser.resolve("containers"), loc.runRoot());
    }

    @Test
    void rootlessRunrootFallsBackToPodmanTmpDirWhenRunUserIsNotTheUsers() throws Exception {
        fs.rootless();
        Path runUser = Files.createDirectories(fs.sys("/run/user/1001"));
        Files.setAttribute(runUser, "unix:mode", 0700);
        // Owned by whoever runs the test (root in CI), not by uid 1001.
        assertEquals(fs.sys("/tmp/podman-run-1001/containers"), fs.discover().runRoot());
        Files.setAttribute(runUser, "unix:uid", FakeSystem.USER);
        Files.setAttribute(runUser, "unix:mode", 0755);
        assertEquals(fs.sys("/tmp/podman-run-1001/containers"), fs.discover().runRoot());
    }

    @Test
    void overridesWinAndLeaveTheRestToDiscovery() throws Exception {
        fs.system("/etc/containers/storage.conf",
                "[storage]\ndriver = \"btrfs\"\ngraphroot = \"/srv/g\"\nrunroot = \"/srv/r\"\n");
        StoreLocation loc = fs.report(new StoreOverrides(Optional.of(Path.of("/cli/root")), Optional.empty(),
                Optional.of("vfs"), Optional.empty())).location();
        assertEquals(Path.of("/cli/root"), loc.graphRoot());
        assertEquals(Path.of("/srv/r"), loc.runRoot());
        assertEquals("vfs", loc.driver());
        StoreLocation run = fs.report(new StoreOverrides(Optional.empty(), Optional.of(Path.of("/cli/run")),
                Optional.of("overlay"), Optional.empty())).location();
        assertEquals(Path.of("/srv/g"), run.graphRoot());
        assertEquals(Path.of("/cli/run"), run.runRoot());
    }

    @Test
    void storageConfOverrideBehavesLikeContainersStorageConf() throws Exception {
        fs.system("/etc/containers/storage.conf", "[storage]\ngraphroot = \"/srv/etc\"\n");
        Path cli = fs.file("cli.conf", "[storage]\ngraphroot = \"/srv/cli\"\n");
        StoreLocation loc = fs.report(new StoreOverrides(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(cli))).location();
        assertEquals(Path.of("/srv/cli"), loc.graphRoot());
        assertEquals(List.of(cli), loc.configSources());
        StoreConfigException e = assertThrows(StoreConfigException.class, () -> fs.report(new StoreOverrides(
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(tmp.resolve("missing.conf")))));
        assertTrue(e.getMessage().contains(tmp.resolve("missing.conf").toString()), e.getMessage());
    }

    @Test
    void insidePodmanUnsharePodmansExportedRootsWin() throws Exception {
        fs.system("/etc/containers/storage.conf", "[storage]\ngraphroot = \"/srv/g\"\n");
        fs.env("_CONTAINERS_ROOTLESS_UID", "1001").env("CONTAINERS_GRAPHROOT", "/podman/g")
                .env("CONTAINERS_RUNROOT", "/podman/r");
        StoreLocation loc = fs.discover();
        assertEquals(Path.of("/podman/g"), loc.graphRoot());
        assertEquals(Path.of("/podman/r"), loc.runRoot());
        assertTrue(loc.rootless(), "euid 0 inside the user namespace is still the rootless user's store");
    }

    @Test
    void imageStoreEqualToGraphrootIsAnError() throws Exception {
        fs.system("/etc/containers/storage.conf", "[storage]\ngraphroot = \"/srv/g\"\nimagestore = \"/srv/g\"\n");
        StoreConfigException e = assertThrows(StoreConfigException.class, fs::discover);
        assertEquals("storage.conf imagestore /srv/g must either be unset or differ from graphroot", e.getMessage());
    }

    @Test
    void imageStoreIsReportedAndSearchedForTheDriver() throws Exception {
        Path split = tmp.resolve("split");
        fs.system("/etc/containers/storage.conf", "[storage]\nimagestore = \"" + split + "\"\n");
        fs.store(split, "vfs");
        StoreLocation loc = fs.discover();
        assertEquals(Optional.of(split), loc.imageStore());
        assertEquals("vfs", loc.driver());
    }
}
