package layerfd.server.store.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A machine for discovery tests, built in a temporary directory: a system tree standing for "/", a home directory,
 * environment variables and an effective uid.
 */
final class FakeSystem {
    static final int ROOT = 0;
    static final int USER = 1001;

    final Path base;
    final Path root;
    final Path home;
    final Map<String, String> variables = new HashMap<>();
    int euid = ROOT;
    ConfigSemantics semantics = ConfigSemantics.CURRENT;

    FakeSystem(Path base) throws IOException {
        this.base = base;
        this.root = Files.createDirectories(base.resolve("sysroot"));
        this.home = Files.createDirectories(base.resolve("home"));
    }

    FakeSystem rootless() {
        euid = USER;
        return this;
    }

    FakeSystem semantics(ConfigSemantics s) {
        semantics = s;
        return this;
    }

    FakeSystem env(String name, String value) {
        variables.put(name, value);
        return this;
    }

    /** Writes a file at an absolute path of the fake system ("/etc/containers/storage.conf"). */
    Path system(String absolute, String content) throws IOException {
        return write(sys(absolute), content);
    }

    /** A path of the fake system tree. */
    Path sys(String absolute) {
        return root.resolve(absolute.substring(1));
    }

    /** Writes a file relative to the home directory. */
    Path inHome(String relative, String content) throws IOException {
        return write(home.resolve(relative), content);
    }

    /** Writes a file anywhere under the test's base directory. */
    Path file(String relative, String content) throws IOException {
        return write(base.resolve(relative), content);
    }

    /** An empty layers.json for the driver, so detection sees an existing store there. */
    void store(Path graphRoot, String driver) throws IOException {
        write(graphRoot.resolve(driver + "-layers").resolve("layers.json"), "[]");
    }

    DiscoveryEnvironment environment() {
        return new DiscoveryEnvironment(variables, euid, home, root, semantics, "test");
    }

    DiscoveryReport report(StoreOverrides overrides) throws StoreConfigException {
        return StoreDiscovery.report(overrides, environment());
    }

    layerfd.server.store.StoreLocation discover() throws StoreConfigException {
        return StoreDiscovery.discover(StoreOverrides.none(), environment());
    }

    private static Path write(Path path, String content) throws IOException {
        Files.createDirectories(path.getParent());
        return Files.writeString(path, content);
    }
}
