package layerfd.cli;

import java.nio.file.Path;
import layerfd.protocol.SocketPaths;
import picocli.CommandLine.Option;

/** --socket, shared by every command that serves or talks to a server. */
final class SocketOption {
    @Option(names = "--socket", paramLabel = "PATH",
            description = "Server socket (default: /run/layerfd/layerfd.sock as root, "
                    + "$XDG_RUNTIME_DIR/layerfd/layerfd.sock otherwise).")
    Path socket;

    Path resolve() {
        return socket != null ? socket : SocketPaths.defaultSocket();
    }
}
