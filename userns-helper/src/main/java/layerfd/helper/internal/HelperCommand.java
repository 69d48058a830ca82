package layerfd.helper.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import layerfd.helper.HelperException;
import layerfd.helper.HelperLaunch;
import layerfd.helper.HelperMain;
import layerfd.helper.HelperProtocol;
import layerfd.linux.Credentials;

/** The command line and environment that start the helper, after checking that podman can run it. */
public final class HelperCommand {
    private static final String PODMAN = "podman";
    /** The helper lives as long as the server and opens files: a small, fast-starting JVM is enough. */
    private static final List<String> JVM_OPTIONS = List.of("--enable-native-access=ALL-UNNAMED",
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private HelperCommand() {}

    /** argv for posix_spawnp; for podman mode also checks podman and the user's sub-id ranges. */
    public static List<String> argv(HelperLaunch launch) throws HelperException {
        List<String> argv = new ArrayList<>();
        if (launch.podmanUnshare()) {
            argv.add(podman(launch).toString());
            checkSubordinateIds();
            // podman unshare does not pass the environment on (splitfdstream brief §3): env -i sets it explicitly.
            argv.addAll(List.of("unshare", "env", "-i"));
            launch.helperEnvironment().forEach((k, v) -> argv.add(k + "=" + v));
        }
        argv.add(launch.java().toString());
        argv.addAll(JVM_OPTIONS);
        argv.addAll(List.of("-cp", launch.classPath(), HelperMain.class.getName()));
        for (Path root : launch.graphRoots()) {
            argv.addAll(List.of(HelperProtocol.GRAPH_ROOT_OPTION, root.toString()));
        }
        return argv;
    }

    /** The spawned command's environment as KEY=VALUE: podman's whole environment, or the helper's own. */
    public static List<String> environment(HelperLaunch launch) {
        Map<String, String> env = launch.podmanUnshare() ? launch.environment() : launch.helperEnvironment();
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().toList();
    }

    private static Path podman(HelperLaunch launch) throws HelperException {
        String path = launch.environment().getOrDefault("PATH", "");
        Optional<Path> found = List.of(path.split(File.pathSeparator)).stream()
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, PODMAN))
                .filter(Files::isExecutable)
                .findFirst();
        return found.orElseThrow(() -> new HelperException("this server runs as an unprivileged user and needs "
                + "`podman unshare` to read a rootless store, but podman is not installed (no podman in PATH="
                + path + ")"));
    }

    private static void checkSubordinateIds() throws HelperException {
        String user = System.getProperty("user.name");
        long uid = Credentials.effectiveUid();
        try {
            for (Path file : List.of(SubordinateIds.SUBUID, SubordinateIds.SUBGID)) {
                if (!SubordinateIds.hasRange(file, user, uid)) {
                    throw new HelperException("user " + user + " (uid " + uid + ") has no subordinate id range in "
                            + file + ", so `podman unshare` cannot map the store's files; add one (e.g. usermod "
                            + "--add-subuids 100000-165535 --add-subgids 100000-165535 " + user + ")");
                }
            }
        } catch (IOException e) {
            throw new HelperException("cannot read the subordinate id ranges: " + e.getMessage(), e);
        }
    }
}
