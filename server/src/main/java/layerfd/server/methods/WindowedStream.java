package layerfd.server.methods;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import layerfd.linux.OwnedFd;
import layerfd.server.store.LayerContent;
import layerfd.server.stream.NamedFiles;

/**
 * One open windowed layer stream of a connection: the layer's opened content (tar-split and directory fds, not its
 * files), the names of its external files, and the window the client chose. The stream's windows are served one
 * after another (a ReadLayerFiles waits until the previous window has been sent), so the server never holds more
 * than {@code maxFds} of its content fds.
 */
final class WindowedStream {
    private final String token;
    private final LayerContent content;
    private final NamedFiles files;
    private final WindowFiles windowFiles;
    private final int maxFds;
    private final Semaphore window = new Semaphore(1);
    private final AtomicBoolean closed = new AtomicBoolean();

    WindowedStream(String token, LayerContent content, NamedFiles files, WindowFiles windowFiles, int maxFds) {
        this.token = token;
        this.content = content;
        this.files = files;
        this.windowFiles = windowFiles;
        this.maxFds = maxFds;
    }

    String token() {
        return token;
    }

    String layerId() {
        return content.layer().id();
    }

    int files() {
        return files.count();
    }

    int maxFds() {
        return maxFds;
    }

    /**
     * Claims the stream's one window, waiting up to {@code patience} for the previous window to be sent; false when
     * it is still in flight after that (its client does not read).
     */
    boolean claimWindow(Duration patience) throws InterruptedException {
        return window.tryAcquire(patience.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The claimed window has been sent (or dropped). */
    void windowDone() {
        window.release();
    }

    /** Opens external files {@code start .. start+count-1} now, fresh, beneath the layer's directories. */
    List<OwnedFd> open(int start, int count) throws IOException {
        return windowFiles.open(files, start, count);
    }

    /** Closes the layer's descriptors; true the first time. */
    boolean closeOnce() {
        if (closed.compareAndSet(false, true)) {
            windowFiles.close();
            content.close();
            return true;
        }
        return false;
    }
}
