package layerfd.protocol;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import layerfd.linux.Credentials;

/**
 * The default socket of the contract (api-contract.md §2): /run/layerfd/layerfd.sock for root,
 * $XDG_RUNTIME_DIR/layerfd/layerfd.sock otherwise. Server and clients use this one function so they agree.
 */
public final class SocketPaths {
    public static final String SOCKET_NAME = "layerfd.sock";
    static final Path ROOT_DIRECTORY = Path.of("/run/layerfd");

    private SocketPaths() {}

    public static Path defaultSocket() {
        return defaultSocket(Credentials.effectiveUid(), System.getenv());
    }

    /**
     * For a non-root user without XDG_RUNTIME_DIR (no login session, e.g. under su), falls back to
     * /run/user/UID when it exists, then /tmp/layerfd-run-UID, as podman does with /tmp/podman-run-UID.
     */
    static Path defaultSocket(long uid, Map<String, String> env) {
        if (uid == 0) {
            return ROOT_DIRECTORY.resolve(SOCKET_NAME);
        }
        String runtimeDir = env.get("XDG_RUNTIME_DIR");
        Path base;
        if (runtimeDir != null && !runtimeDir.isEmpty()) {
            base = Path.of(runtimeDir);
        } else if (Files.isDirectory(Path.of("/run/user/" + uid))) {
            base = Path.of("/run/user/" + uid);
        } else {
            base = Path.of("/tmp/layerfd-run-" + uid);
        }
        return base.resolve("layerfd").resolve(SOCKET_NAME);
    }
}
