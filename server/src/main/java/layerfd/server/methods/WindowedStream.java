package layerfd.server.methods;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import layerfd.linux.OwnedFd;
import layerfd.server.store.LayerContent;
import layerfd.server.stream.NamedFiles;

/**
 * One open windowed layer stream of a connection: the layer's opened content (tar-split and directory fds, not its
 * files), the names of its external files, and the window the client chose. At most one ReadLayerFiles of the
 * stream is in flight at a time, so the server never holds more than {@code maxFds} of its content fds.
 */
final class WindowedStream implements AutoCloseable {
    private final String token;
    private final LayerContent content;
    private final NamedFiles files;
    private final int maxFds;
    private final AtomicBoolean windowInFlight = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    WindowedStream(String token, LayerContent content, NamedFiles files, int maxFds) {
        this.token = token;
        this.content = content;
        this.files = files;
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

    /** Claims the stream's one window; false when another ReadLayerFiles of it is still in flight. */
    boolean claimWindow() {
        return windowInFlight.compareAndSet(false, true);
    }

    void windowDone() {
        windowInFlight.set(false);
    }

    /** Opens external file {@code index} now, fresh, beneath the layer's directories. */
    OwnedFd open(int index) throws IOException {
        return files.open(index, content.files());
    }

    /** Closes the layer's descriptors; true the first time. */
    boolean closeOnce() {
        if (closed.compareAndSet(false, true)) {
            content.close();
            return true;
        }
        return false;
    }

    @Override
    public void close() {
        closeOnce();
    }
}
