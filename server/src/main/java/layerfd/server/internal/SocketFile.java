package layerfd.server.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import layerfd.protocol.fdpass.FdpassOptions;
import layerfd.protocol.fdpass.FdpassServerSocket;

/**
 * Binds the server's socket file (api-contract §2): creates a missing parent directory 0755 (e.g. /run/layerfd),
 * replaces a stale socket file nobody listens on (left by a crash), refuses to replace anything else, and makes the
 * new file 0660 so only its owner and group can even try to connect; SO_PEERCRED decides the rest.
 */
public final class SocketFile {
    static final Set<PosixFilePermission> SOCKET_MODE = PosixFilePermissions.fromString("rw-rw----");
    static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwxr-xr-x");
    /** S_IFMT and S_IFSOCK of st_mode. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private SocketFile() {}

    public static FdpassServerSocket bind(Path path, FdpassOptions options) throws IOException {
        Path absolute = prepare(path);
        FdpassServerSocket server = FdpassServerSocket.bind(absolute, options);
        try {
            restrictMode(absolute);
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /**
     * Everything before the bind: the parent directory exists, a stale socket file is gone. Returns the absolute path
     * to bind.
     */
    public static Path prepare(Path path) throws IOException {
        Path absolute = path.toAbsolutePath();
        createParent(absolute.getParent());
        removeStale(absolute);
        return absolute;
    }

    /** After the bind: only the socket's owner and group may connect. */
    public static void restrictMode(Path socket) throws IOException {
        Files.setPosixFilePermissions(socket, SOCKET_MODE);
    }

    private static void createParent(Path parent) throws IOException {
        if (Files.isDirectory(parent)) {
            return;
        }
        Files.createDirectories(parent);
        // createDirectories applies the umask; the directory clients traverse must be 0755 whatever it is.
        Files.setPosixFilePermissions(parent, DIRECTORY_MODE);
    }

    private static void removeStale(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new FileAlreadyExistsException(path.toString(), null,
                    "exists and is not a socket; refusing to replace it");
        }
        // The JDK's own AF_UNIX channel reports ECONNREFUSED as ConnectException; any other failure (EACCES, ...)
        // propagates and the file is left alone.
        try {
            SocketChannel.open(UnixDomainSocketAddress.of(path)).close();
        } catch (ConnectException refused) {
            // A socket file nobody listens on any more (left by a crash).
            Files.delete(path);
            return;
        }
        throw new FileAlreadyExistsException(path.toString(), null, "another server is listening on this socket");
    }
}
