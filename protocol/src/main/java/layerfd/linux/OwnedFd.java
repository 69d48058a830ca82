package layerfd.linux;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw file descriptor with exactly one owner. Whoever holds the object closes it; {@link #close()} closes the
 * descriptor once however often it is called; {@link #release()} hands the raw number on and leaves this object
 * empty, so an owner that passes an fd to another owner (a socket send, a message) sets its own reference aside
 * as Netty's encoders do with buffers.
 */
public final class OwnedFd implements AutoCloseable {
    private static final int CLOSED = -1;
    private final AtomicInteger fd;

    private OwnedFd(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("not a file descriptor: " + fd);
        }
        this.fd = new AtomicInteger(fd);
    }

    /** Takes ownership of {@code fd}: the returned object will close it. */
    public static OwnedFd adopt(int fd) {
        return new OwnedFd(fd);
    }

    /** The raw number, still owned by this object. */
    public int get() {
        int value = fd.get();
        if (value == CLOSED) {
            throw new IllegalStateException("file descriptor already closed or released");
        }
        return value;
    }

    public boolean isOpen() {
        return fd.get() != CLOSED;
    }

    /** A second owner of the same open file description, close-on-exec (F_DUPFD_CLOEXEC). */
    public OwnedFd dup() throws LinuxException {
        return adopt(Fcntl.dupCloseOnExec(get()));
    }

    /** Gives up ownership: the caller now owns the returned number and this object is empty. */
    public int release() {
        int value = fd.getAndSet(CLOSED);
        if (value == CLOSED) {
            throw new IllegalStateException("file descriptor already closed or released");
        }
        return value;
    }

    /** Closes the descriptor the first time; later calls do nothing. close(2) errors are not retried (EINTR too). */
    @Override
    public void close() {
        int value = fd.getAndSet(CLOSED);
        if (value != CLOSED) {
            Fcntl.closeQuietly(value);
        }
    }

    @Override
    public String toString() {
        int value = fd.get();
        return value == CLOSED ? "OwnedFd(closed)" : "OwnedFd(" + value + ")";
    }
}
