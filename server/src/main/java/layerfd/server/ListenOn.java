package layerfd.server;

import java.nio.file.Path;
import java.util.Objects;

/** Where the server listens: a socket file it binds itself, or a listening socket it inherited. */
public sealed interface ListenOn {
    /** The path clients connect to (for an inherited socket, the path systemd bound, as far as it is known). */
    Path path();

    /**
     * Bind {@code path}: its parent directory is created if missing (0755), a stale socket file nobody listens on
     * is replaced, the new file is made 0660, and it is removed at shutdown.
     */
    record SocketFile(Path path) implements ListenOn {
        public SocketFile {
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * Take over listening socket {@code fd} (systemd socket activation: fd 3). The socket file belongs to whoever
     * bound it and is left in place at shutdown.
     */
    record Inherited(int fd, Path path) implements ListenOn {
        public Inherited {
            if (fd < 0) {
                throw new IllegalArgumentException("not a file descriptor: " + fd);
            }
            Objects.requireNonNull(path, "path");
        }
    }
}
