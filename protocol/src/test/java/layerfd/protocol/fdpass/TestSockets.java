package layerfd.protocol.fdpass;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import layerfd.linux.OwnedFd;

/** Socket plumbing shared by tests. */
public final class TestSockets {
    private TestSockets() {}

    /** The next connection {@code server} accepts, accepted on another thread while the test connects. */
    public static CompletableFuture<FdpassSocket> acceptAsync(FdpassServerSocket server) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return server.accept();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The next message on {@code socket}; fails the test if the connection ended instead. */
    public static FdpassFrame receive(FdpassSocket socket) throws IOException {
        return socket.receiver().receive().orElseThrow(() -> new AssertionError("connection ended early"));
    }

    /** {@link FdpassSender#send} for lambdas. */
    public static void sendUnchecked(FdpassSocket socket, ObjectNode message, List<OwnedFd> fds) {
        try {
            socket.sender().send(message, fds);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
