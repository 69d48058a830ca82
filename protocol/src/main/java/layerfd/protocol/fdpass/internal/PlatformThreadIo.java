package layerfd.protocol.fdpass.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs junixsocket calls on platform threads only.
 *
 * <p>WHY: on a virtual thread junixsocket 2.11.1 switches the socket to non-blocking mode and parks on EAGAIN. Its
 * native write drops the pending SCM_RIGHTS fds before a sendmsg that then fails with EAGAIN (java-platform.md
 * §2.4), and the retry after the park sends the bytes without them: the fds are lost and the receiver hands the next
 * message's fds to this one. Observed with 4 MiB messages sent from virtual threads. O_NONBLOCK belongs to the open
 * file description, so a virtual-thread reader would also put a concurrent platform-thread writer in non-blocking
 * mode. Socket calls made from a virtual thread therefore hop to a platform thread; calls from a platform thread
 * run directly.
 */
final class PlatformThreadIo {
    private static final ExecutorService PLATFORM_THREADS = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("fdpass-io-", 0).factory());

    /** A socket call. */
    @FunctionalInterface
    interface SocketCall<T> {
        T run() throws IOException;
    }

    private PlatformThreadIo() {}

    static <T> T run(SocketCall<T> call) throws IOException {
        if (!Thread.currentThread().isVirtual()) {
            return call.run();
        }
        Future<T> result = PLATFORM_THREADS.submit(call::run);
        try {
            return result.get();
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException runtime -> throw runtime;
                case Error error -> throw error;
                default -> throw new IOException(e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the socket call is still running");
        }
    }
}
