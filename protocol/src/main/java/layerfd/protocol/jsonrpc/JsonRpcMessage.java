package layerfd.protocol.jsonrpc;

import java.util.ArrayList;
import java.util.List;
import layerfd.linux.OwnedFd;

/**
 * A JSON-RPC 2.0 message with the fds it carried or will carry (jsonrpc-fdpass README §3). The message owns its
 * fds: {@link #close()} closes every fd nobody took with {@link #takeFd(int)} or {@link #takeFds()}.
 */
public sealed interface JsonRpcMessage extends AutoCloseable permits Request, Notification, Response {
    /** The fds by position 0..N-1, still owned by this message. */
    List<OwnedFd> fds();

    /** Moves the fd at {@code position} out of the message; the caller owns the result. */
    default OwnedFd takeFd(int position) {
        return OwnedFd.adopt(fds().get(position).release());
    }

    /** Moves every fd still held, in position order. */
    default List<OwnedFd> takeFds() {
        List<OwnedFd> taken = new ArrayList<>(fds().size());
        for (OwnedFd fd : fds()) {
            if (fd.isOpen()) {
                taken.add(OwnedFd.adopt(fd.release()));
            }
        }
        return taken;
    }

    @Override
    default void close() {
        fds().forEach(OwnedFd::close);
    }
}
