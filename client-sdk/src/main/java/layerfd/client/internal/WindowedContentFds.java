package layerfd.client.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import layerfd.linux.OwnedFd;
import layerfd.protocol.Methods;

/**
 * The content fds of a windowed stream (docs/protocol.md, OpenLayerStream): at most {@code maxFds} held at once.
 * Asking for an index outside the current window closes that window first, then fetches the window of
 * {@code maxFds} files that starts at the index (layerfd numbers files in stream order, so a reader moving forward
 * costs one round trip per window).
 */
public final class WindowedContentFds implements ContentFds {
    /** One JSON-RPC call: method and params to the response's result fds; failures are IOExceptions. */
    @FunctionalInterface
    public interface Caller {
        List<OwnedFd> callForFds(String method, ObjectNode params) throws IOException;
    }

    private final Caller caller;
    private final String stream;
    private final int files;
    private final int maxFds;
    private int windowStart = -1;
    private List<OwnedFd> window = List.of();
    private boolean closed;

    public WindowedContentFds(Caller caller, String stream, int files, int maxFds) {
        this.caller = caller;
        this.stream = stream;
        this.files = files;
        this.maxFds = maxFds;
    }

    @Override
    public int count() {
        return files;
    }

    @Override
    public synchronized OwnedFd borrow(int index) throws IOException {
        if (index < 0 || index >= files) {
            throw new IOException("the stream refers to content file " + index + " of " + files);
        }
        if (index < windowStart || index >= windowStart + window.size()) {
            closeWindow();
            int count = Math.min(maxFds, files - index);
            ObjectNode params = JsonNodeFactory.instance.objectNode().put(Methods.Params.STREAM, stream)
                    .put(Methods.Params.START, index).put(Methods.Params.COUNT, count);
            List<OwnedFd> fds = caller.callForFds(Methods.READ_LAYER_FILES, params);
            if (fds.size() != count) {
                fds.forEach(OwnedFd::close);
                throw new IOException(Methods.READ_LAYER_FILES + " of stream " + stream + " at " + index + " sent "
                        + fds.size() + " fds, not " + count);
            }
            window = new ArrayList<>(fds);
            windowStart = index;
        }
        return window.get(index - windowStart);
    }

    private void closeWindow() {
        window.forEach(OwnedFd::close);
        window = List.of();
        windowStart = -1;
    }

    /** Closes the window; the stream itself is closed on the server by CloseLayerStream, sent by the owner. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            closeWindow();
        }
    }
}
