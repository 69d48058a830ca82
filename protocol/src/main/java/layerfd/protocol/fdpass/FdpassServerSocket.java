package layerfd.protocol.fdpass;

import java.io.IOException;
import java.nio.file.Path;
import layerfd.protocol.fdpass.internal.UnixConnection;

/** A listening AF_UNIX SOCK_STREAM socket bound to a file; each accepted connection is an {@link FdpassSocket}. */
public final class FdpassServerSocket implements AutoCloseable {
    private final UnixConnection.Listener listener;
    private final Path path;
    private final FdpassOptions options;

    private FdpassServerSocket(UnixConnection.Listener listener, Path path, FdpassOptions options) {
        this.listener = listener;
        this.path = path;
        this.options = options;
    }

    /** Binds a new socket file at {@code path}; its accepted connections use {@code options}. */
    public static FdpassServerSocket bind(Path path, FdpassOptions options) throws IOException {
        return new FdpassServerSocket(UnixConnection.Listener.bind(path), path, options);
    }

    /** Blocks until a peer connects. */
    public FdpassSocket accept() throws IOException {
        return new FdpassSocket(listener.accept(options.ancillaryReceiveBytes()), options);
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
