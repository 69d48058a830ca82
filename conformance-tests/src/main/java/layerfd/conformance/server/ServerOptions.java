package layerfd.conformance.server;

import java.nio.file.Path;
import java.util.Objects;
import layerfd.protocol.fdpass.FdpassOptions;

/**
 * What the server suite drives.
 *
 * @param socket the server's socket file
 * @param image the image to stream (any reference the server resolves: id, prefix, name, digest)
 * @param lenient tolerate what layerfd's contract adds beyond upstream servers (sealed stream memfd, read-only
 *     content fds): those checks SKIP with the reason instead of FAIL
 * @param expectations where the expected layer digests come from
 */
public record ServerOptions(Path socket, String image, boolean lenient, ExpectationSource expectations) {
    public ServerOptions {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(expectations, "expectations");
    }

    public FdpassOptions fdpassOptions() {
        return FdpassOptions.defaults();
    }
}
