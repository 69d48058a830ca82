package layerfd.server.store.config.internal;

import layerfd.server.store.config.ConfigSemantics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/** Built-in graphroot and runroot when no configuration names them (containers-storage brief §1, "Defaults"). */
public final class DefaultLocations {
    public static final String ROOT_GRAPHROOT = "/var/lib/containers/storage";
    public static final String ROOT_RUNROOT = "/run/containers/storage";
    private static final String RUN_USER = "/run/user/";
    /** What podman exports as XDG_RUNTIME_DIR when it is unset and /run/user/$UID is unusable (brief §1). */
    private static final String PODMAN_TMP_RUNTIME = "/tmp/podman-run-";
    private static final String CONTAINERS = "containers";
    private static final String STORAGE = "storage";
    /** Owner rwx; group and other may have neither read nor write (Go {@code isRootlessRuntimeDirOwner}). */
    private static final int OWNER_RWX = 0700;
    private static final int GROUP_OTHER_READ_WRITE = 0066;

    private DefaultLocations() {
    }

    public static Path graphRoot(DiscoveryContext ctx) {
        return ctx.rootless() ? dataHome(ctx).resolve(CONTAINERS).resolve(STORAGE) : ctx.systemPath(ROOT_GRAPHROOT);
    }

    public static Path runRoot(DiscoveryContext ctx) {
        return ctx.rootless() ? runtimeDir(ctx).resolve(CONTAINERS) : ctx.systemPath(ROOT_RUNROOT);
    }

    /** $XDG_DATA_HOME, else the home directory (symlinks resolved, as Go does for runc) plus .local/share. */
    static Path dataHome(DiscoveryContext ctx) {
        return ctx.variable(DiscoveryContext.XDG_DATA_HOME).map(Path::of).orElseGet(
                () -> PathExpansion.resolveSymlinks(ctx.environment().home()).resolve(".local").resolve("share"));
    }

    /**
     * $XDG_RUNTIME_DIR (symlinks resolved under current semantics, Go {@code homedir.GetRuntimeDir}); else
     * /run/user/$UID when it belongs to the user and only the user can use it; else /tmp/podman-run-$UID, the value
     * podman itself exports as XDG_RUNTIME_DIR before containers/storage looks (observed with podman 4.3.1).
     */
    static Path runtimeDir(DiscoveryContext ctx) {
        Optional<String> xdg = ctx.variable(DiscoveryContext.XDG_RUNTIME_DIR);
        if (xdg.isPresent()) {
            Path dir = Path.of(xdg.get());
            return ctx.environment().semantics() == ConfigSemantics.CURRENT ? PathExpansion.resolveSymlinks(dir) : dir;
        }
        Path runUser = ctx.systemPath(RUN_USER + ctx.rootlessUid());
        if (ownedOnlyBy(runUser, ctx.rootlessUid())) {
            return runUser;
        }
        return ctx.systemPath(PODMAN_TMP_RUNTIME + ctx.rootlessUid());
    }

    private static boolean ownedOnlyBy(Path dir, int uid) {
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return owner == uid && (mode & OWNER_RWX) == OWNER_RWX && (mode & GROUP_OTHER_READ_WRITE) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
