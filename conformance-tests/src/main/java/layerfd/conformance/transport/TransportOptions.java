package layerfd.conformance.transport;

import java.nio.file.Path;
import java.util.Objects;
import layerfd.protocol.fdpass.FdpassOptions;

/**
 * What the transport suite drives and how.
 *
 * @param socket the peer's listening socket file
 * @param quirks checks the peer's documented defects make impossible are SKIPped
 * @param maxFdsPerSendmsg fds per sendmsg the runner sends (8 imitates the old Go copy); the peer's own sends are
 *     whatever the peer does
 */
public record TransportOptions(Path socket, PeerQuirks quirks, int maxFdsPerSendmsg) {
    public TransportOptions {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(quirks, "quirks");
        if (maxFdsPerSendmsg < 1) {
            throw new IllegalArgumentException("max fds per sendmsg must be at least 1, got " + maxFdsPerSendmsg);
        }
    }

    /** Strict, with layerfd's default batch size. */
    public static TransportOptions of(Path socket) {
        return new TransportOptions(socket, PeerQuirks.NONE, FdpassOptions.DEFAULT_MAX_FDS_PER_SENDMSG);
    }

    public TransportOptions withQuirks(PeerQuirks q) {
        return new TransportOptions(socket, q, maxFdsPerSendmsg);
    }

    public TransportOptions withMaxFdsPerSendmsg(int fds) {
        return new TransportOptions(socket, quirks, fds);
    }

    public FdpassOptions fdpassOptions() {
        return FdpassOptions.defaults().withMaxFdsPerSendmsg(maxFdsPerSendmsg);
    }
}
