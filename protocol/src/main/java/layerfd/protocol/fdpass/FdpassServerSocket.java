package layerfd.protocol.fdpass;

import java.io.IOException;
import java.nio.file.Path;
import layerfd.linux.OwnedFd;
import layerfd.protocol.fdpass.internal.UnixConnection;

/**
 * A listening AF_UNIX SOCK_STREAM socket, bound to a file here or inherited; each accepted connection is an
 * {@link FdpassSocket}.
 */
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

    /**
     * Takes over a listening AF_UNIX stream socket this process inherited, such as fd 3 from systemd socket activation
     * (LISTEN_FDS). {@link #path()} is then the path the caller says it is bound to; the file is not removed on
     * close. The fd belongs to the returned socket from now on, also if this fails.
     */
    public static FdpassServerSocket inherit(OwnedFd listening, Path path, FdpassOptions options) throws IOException {
        return new FdpassServerSocket(UnixConnection.Listener.inherit(listening), path, options);
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
