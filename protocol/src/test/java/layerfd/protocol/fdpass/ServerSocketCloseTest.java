package layerfd.protocol.fdpass;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing a listening socket while another thread is blocked in accept (the server's shutdown path): junixsocket
 * prepares the accepted socket's object before accept(2) returns, so this pins that nothing of it stays open.
 */
@ExtendWith(NoFdLeaks.class)
class ServerSocketCloseTest {
    private static final int REPETITIONS = 20;

    @TempDir
    Path dir;

    /** Repeated: the leak this pins did not show on every run. */
    @RepeatedTest(REPETITIONS)
    void closeWhileAcceptIsBlockedEndsTheAcceptAndLeavesNoDescriptor() throws Exception {
        Path path = dir.resolve("s.sock");
        FdpassServerSocket server = FdpassServerSocket.bind(path, FdpassOptions.defaults());
        CompletableFuture<FdpassSocket> accepted = CompletableFuture.supplyAsync(() -> {
            try {
                return server.accept();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, Thread.ofPlatform()::start);
        // Long enough for the other thread to be inside accept(2); the test holds either way, but proves less.
        Thread.sleep(100);
        server.close();
        assertThrows(ExecutionException.class, () -> accepted.get(10, TimeUnit.SECONDS));
        assertFalse(Files.exists(path), "the socket file is removed on close");
    }
}
