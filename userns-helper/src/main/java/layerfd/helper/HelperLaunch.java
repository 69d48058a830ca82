package layerfd.helper;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How to start the userns helper.
 *
 * @param podmanUnshare run it as {@code podman unshare env -i KEY=VALUE... java ...}: podman puts it in the
 *     rootless user namespace, where it is root over the user's sub-uids (containers-storage brief §5); false runs
 *     java directly (a process that can already bypass file permissions; tests)
 * @param java          the java executable
 * @param classPath     a class path holding this module, protocol and their dependencies
 * @param graphRoots    the graph roots the helper may serve, fixed for its lifetime
 * @param environment   the environment of the spawned command: podman's (it needs HOME, XDG_RUNTIME_DIR, PATH)
 */
public record HelperLaunch(boolean podmanUnshare, Path java, String classPath, List<Path> graphRoots,
                           Map<String, String> environment) {
    /**
     * What {@code env -i} passes on to the helper JVM: podman unshare does not carry the environment over
     * (splitfdstream brief §3), and the helper needs nothing else.
     */
    public static final List<String> HELPER_ENVIRONMENT = List.of("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR");

    public HelperLaunch {
        Objects.requireNonNull(java, "java");
        Objects.requireNonNull(classPath, "classPath");
        graphRoots = List.copyOf(graphRoots);
        if (graphRoots.isEmpty()) {
            throw new IllegalArgumentException("the helper needs at least one graph root");
        }
        environment = Map.copyOf(environment);
    }

    /** Under podman unshare, with this JVM's java, class path and environment. */
    public static HelperLaunch podmanUnshare(List<Path> graphRoots) {
        return new HelperLaunch(true, currentJava(), System.getProperty("java.class.path"), graphRoots,
                System.getenv());
    }

    /** Directly, without podman, with this JVM's java and class path. */
    public static HelperLaunch direct(List<Path> graphRoots) {
        return new HelperLaunch(false, currentJava(), System.getProperty("java.class.path"), graphRoots,
                System.getenv());
    }

    /** The helper's own environment: the {@link #HELPER_ENVIRONMENT} variables that are set, sorted. */
    public Map<String, String> helperEnvironment() {
        Map<String, String> passed = new TreeMap<>();
        for (String key : HELPER_ENVIRONMENT) {
            String value = environment.get(key);
            if (value != null) {
                passed.put(key, value);
            }
        }
        return passed;
    }

    private static Path currentJava() {
        return Path.of(ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("cannot tell which java runs this JVM")));
    }
}
