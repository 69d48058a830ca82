package layerfd.server;

import java.util.Objects;
import layerfd.protocol.fdpass.FdpassOptions;
import layerfd.server.store.StoreLocation;

/**
 * Everything a {@link LayerfdServer} needs. Immutable.
 *
 * @param listen          the socket to serve on
 * @param store           the containers-storage store to serve
 * @param access          who may connect
 * @param inlineThreshold regular files of at most this many bytes travel inline in a stream, larger ones as fds
 *                        (api-contract §3.3)
 * @param limits          resource bounds
 * @param transport       jsonrpc-fdpass options of every connection (e.g. fds per sendmsg for old peers)
 */
public record ServerOptions(ListenOn listen, StoreLocation store, AccessPolicy access, long inlineThreshold,
                            ServerLimits limits, FdpassOptions transport) {
    /** api-contract §3.3 and cstor-rs DEFAULT_INLINE_THRESHOLD. */
    public static final long DEFAULT_INLINE_THRESHOLD = 4096;
    /** Inline content is gathered in memory per file, so a threshold is bounded well below the heap. */
    public static final long MAX_INLINE_THRESHOLD = 64L << 20;

    public ServerOptions {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(transport, "transport");
        if (inlineThreshold < 0 || inlineThreshold > MAX_INLINE_THRESHOLD) {
            throw new IllegalArgumentException("inline threshold must be 0.." + MAX_INLINE_THRESHOLD + " bytes, got "
                    + inlineThreshold);
        }
    }
}
