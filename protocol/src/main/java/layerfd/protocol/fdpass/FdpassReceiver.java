package layerfd.protocol.fdpass;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import layerfd.linux.OwnedFd;
import layerfd.protocol.fdpass.internal.FrameDecoder;
import layerfd.protocol.fdpass.internal.UnixConnection;

/**
 * The receiving half of a connection (README §5): reads, queues fds in arrival order, and returns one message with
 * its fds at a time. One thread receives; {@link #close()} may come from any thread. After a fatal
 * {@link FdpassException} every fd still queued is closed and every later call throws the same exception.
 */
public final class FdpassReceiver implements AutoCloseable {
    /** Bytes asked of each recvmsg; Rust and Go read 4096, more means fewer syscalls for large messages. */
    static final int READ_CHUNK_BYTES = 64 * 1024;

    private final UnixConnection connection;
    private final FrameDecoder decoder;
    private final ReentrantLock lock = new ReentrantLock();
    private final byte[] chunk = new byte[READ_CHUNK_BYTES];
    private boolean ended;
    /** A read failure (socket error, MSG_CTRUNC): repeated by every later receive. */
    private IOException readFailure;

    FdpassReceiver(UnixConnection connection, FdpassOptions options) {
        this.connection = connection;
        this.decoder = new FrameDecoder(options.maxMessageBytes());
    }

    /**
     * The next message, blocking until it and all its fds have arrived; empty when the peer closed the connection
     * between two messages. The caller owns the returned frame (and so its fds).
     *
     * @throws FdpassException the peer broke the protocol; the connection must be closed
     * @throws IOException the socket failed or was closed locally
     */
    public Optional<FdpassFrame> receive() throws IOException {
        lock.lock();
        try {
            if (readFailure != null) {
                throw readFailure;
            }
            while (true) {
                Optional<FdpassFrame> frame = decoder.next();
                if (frame.isPresent() || ended) {
                    return frame;
                }
                readOnce();
            }
        } finally {
            lock.unlock();
        }
    }

    private void readOnce() throws IOException {
        List<OwnedFd> fds = new ArrayList<>();
        int count;
        try {
            count = connection.read(chunk, 0, chunk.length, fds);
        } catch (IOException e) {
            readFailure = e;
            decoder.close();
            throw e;
        }
        if (count < 0) {
            ended = true;
            decoder.endOfStream();
            return;
        }
        decoder.feed(chunk, 0, count, fds);
    }

    /** fds that arrived ahead of the message that will claim them. */
    public int queuedFds() {
        lock.lock();
        try {
            return decoder.queuedFds();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes every queued fd. Blocks while a {@link #receive()} is reading, so close the socket first (as
     * {@link FdpassSocket#close()} does) to interrupt it.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            decoder.close();
        } finally {
            lock.unlock();
        }
    }
}
