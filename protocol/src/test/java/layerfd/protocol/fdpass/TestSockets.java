package layerfd.protocol.fdpass;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;

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
}
