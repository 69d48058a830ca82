package layerfd.protocol.fdpass.internal;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import layerfd.linux.Fcntl;
import layerfd.linux.OwnedFd;
import layerfd.linux.SocketPair;
import layerfd.protocol.fdpass.FdsTruncatedException;
import layerfd.protocol.fdpass.PeerCredentials;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketCredentials;
import org.newsclub.net.unix.FileDescriptorCast;
import org.newsclub.net.unix.InvalidArgumentSocketException;

/**
 * The only class that calls junixsocket: one connected AF_UNIX SOCK_STREAM socket, read and written as
 * (bytes, fds) pairs, plus {@link Listener} for the listening side. Everything above it sees plain byte arrays and
 * {@link OwnedFd}s.
 */
public final class UnixConnection implements AutoCloseable {
    /** junixsocket reports MSG_CTRUNC as ENOBUFS with this strerror text (java-platform.md §2.3). */
    private static final String ENOBUFS_TEXT = "No buffer space available";

    private final AFUNIXSocket socket;
    /** The descriptor of a socket adopted from an fd: junixsocket's close shuts it down but does not close it. */
    private final OwnedFd adopted;
    private final int ancillaryReceiveBytes;
    private final InputStream in;
    private final OutputStream out;
    /**
     * Reads and writes hold the read lock; close takes the write lock before it closes an adopted descriptor, so no
     * junixsocket call can still be using that number when another thread gets it reused.
     */
    private final ReentrantReadWriteLock inUse = new ReentrantReadWriteLock();
    private volatile boolean closed;

    private UnixConnection(AFUNIXSocket socket, OwnedFd adopted, int ancillaryReceiveBytes) throws IOException {
        this.socket = socket;
        this.adopted = adopted;
        this.ancillaryReceiveBytes = ancillaryReceiveBytes;
        AncillaryBufferFix.apply(socket, ancillaryReceiveBytes);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static UnixConnection connect(Path path, int ancillaryReceiveBytes) throws IOException {
        // Not AFUNIXSocket.connectTo: when the connect is refused it leaves its socket's fd open.
        AFUNIXSocket socket = AFUNIXSocket.newInstance();
        try {
            socket.connect(AFUNIXSocketAddress.of(path));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        return wrap(socket, null, ancillaryReceiveBytes);
    }

    /** Takes over a connected AF_UNIX stream socket (an inherited fd, one end of a socketpair). */
    public static UnixConnection adopt(OwnedFd connected, int ancillaryReceiveBytes) throws IOException {
        try {
            AFUNIXSocket socket = FileDescriptorCast.unsafeUsing(connected.get()).as(AFUNIXSocket.class);
            return wrap(socket, connected, ancillaryReceiveBytes);
        } catch (IOException | RuntimeException e) {
            connected.close();
            throw e;
        }
    }

    /** Two connected ends of socketpair(2). */
    public static List<UnixConnection> pair(int ancillaryReceiveBytes) throws IOException {
        List<OwnedFd> ends = SocketPair.openStream();
        UnixConnection first;
        try {
            first = adopt(ends.get(0), ancillaryReceiveBytes);
        } catch (IOException | RuntimeException e) {
            ends.get(1).close();
            throw e;
        }
        try {
            return List.of(first, adopt(ends.get(1), ancillaryReceiveBytes));
        } catch (IOException | RuntimeException e) {
            first.close();
            throw e;
        }
    }

    private static UnixConnection wrap(AFUNIXSocket socket, OwnedFd adopted, int ancillaryReceiveBytes)
            throws IOException {
        try {
            return new UnixConnection(socket, adopted, ancillaryReceiveBytes);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * One recvmsg(2). Returns the byte count, or -1 at end of stream. The fds that came with this read are appended
     * to {@code fdsOut} in kernel order, each duplicated close-on-exec: junixsocket does not pass MSG_CMSG_CLOEXEC
     * and closes every fd it received when the socket closes (java-platform.md §2.4), so the duplicate is ours
     * alone. junixsocket's original is closed through a FileInputStream, which also marks its FileDescriptor
     * invalid so junixsocket never closes that number again (it may already belong to someone else by then).
     */
    public int read(byte[] buffer, int offset, int length, List<OwnedFd> fdsOut) throws IOException {
        return PlatformThreadIo.run(() -> whileOpen(() -> readOnPlatformThread(buffer, offset, length, fdsOut)));
    }

    private int readOnPlatformThread(byte[] buffer, int offset, int length, List<OwnedFd> fdsOut) throws IOException {
        int count;
        try {
            count = in.read(buffer, offset, length);
        } catch (SocketException e) {
            if (e.getMessage() != null && e.getMessage().contains(ENOBUFS_TEXT)) {
                throw new FdsTruncatedException(ancillaryReceiveBytes);
            }
            throw e;
        }
        FileDescriptor[] received = socket.getReceivedFileDescriptors();
        if (received != null) {
            takeOver(received, fdsOut);
        }
        return count;
    }

    private static void takeOver(FileDescriptor[] received, List<OwnedFd> fdsOut) throws IOException {
        List<OwnedFd> taken = new ArrayList<>(received.length);
        IOException failure = null;
        for (FileDescriptor original : received) {
            if (failure == null) {
                try {
                    int raw = FileDescriptorCast.using(original).as(Integer.class);
                    taken.add(OwnedFd.adopt(Fcntl.dupCloseOnExec(raw)));
                } catch (IOException e) {
                    failure = e;
                }
            }
            failure = closeOriginal(original, failure);
        }
        if (failure != null) {
            taken.forEach(OwnedFd::close);
            throw failure;
        }
        fdsOut.addAll(taken);
    }

    /** Closes junixsocket's descriptor and marks the FileDescriptor invalid; keeps the first failure. */
    private static IOException closeOriginal(FileDescriptor original, IOException failure) {
        try {
            new FileInputStream(original).close();
            return failure;
        } catch (IOException e) {
            if (failure == null) {
                return e;
            }
            failure.addSuppressed(e);
            return failure;
        }
    }

    /**
     * Writes all of {@code data} with {@code fds} attached to its first byte: one junixsocket write, whose first
     * native sendmsg carries the fds (later partial-write chunks carry none, java-platform.md §2.4). Returns false
     * when the kernel refused the fd batch with EINVAL (more than SCM_MAX_FD fds); then nothing was sent.
     */
    public boolean write(byte[] data, int offset, int length, int[] fds) throws IOException {
        return PlatformThreadIo.run(() -> whileOpen(() -> writeOnPlatformThread(data, offset, length, fds)));
    }

    private <T> T whileOpen(PlatformThreadIo.SocketCall<T> call) throws IOException {
        inUse.readLock().lock();
        try {
            if (closed) {
                throw new SocketException("socket closed");
            }
            return call.run();
        } finally {
            inUse.readLock().unlock();
        }
    }

    private boolean writeOnPlatformThread(byte[] data, int offset, int length, int[] fds) throws IOException {
        if (fds.length > 0) {
            FileDescriptor[] outbound = new FileDescriptor[fds.length];
            for (int i = 0; i < fds.length; i++) {
                outbound[i] = FileDescriptorCast.unsafeUsing(fds[i]).getFileDescriptor();
            }
            socket.setOutboundFileDescriptors(outbound);
        }
        try {
            out.write(data, offset, length);
            return true;
        } catch (InvalidArgumentSocketException e) {
            if (fds.length == 0) {
                throw e;
            }
            // junixsocket cleared the outbound fds before sendmsg; the caller re-sets them with its next write.
            return false;
        }
    }

    public PeerCredentials peerCredentials() throws IOException {
        AFUNIXSocketCredentials credentials = whileOpen(socket::getPeerCredentials);
        return new PeerCredentials(credentials.getUid(), credentials.getGid(), credentials.getPid());
    }

    /** shutdown(SHUT_WR). Through the channel view: java.net.Socket's own check wrongly reports "not connected". */
    public void shutdownOutput() throws IOException {
        whileOpen(() -> socket.getChannel().shutdownOutput());
    }

    public boolean isClosed() {
        return closed;
    }

    /** Shuts the socket down (which wakes blocked reads and writes), then waits for them to leave, then closes. */
    @Override
    public void close() throws IOException {
        closed = true;
        try {
            socket.close();
        } finally {
            if (adopted != null) {
                inUse.writeLock().lock();
                try {
                    adopted.close();
                } finally {
                    inUse.writeLock().unlock();
                }
            }
        }
    }

    /** A listening AF_UNIX socket (bound here or inherited), producing {@link UnixConnection}s. */
    public static final class Listener implements AutoCloseable {
        /** How long close waits for a woken accept to return before it closes the listening socket anyway. */
        private static final long WAKE_WAIT_MILLIS = 2000;
        /** Between wake-up connections, for the woken accept to leave. */
        private static final long WAKE_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

        private final AFUNIXServerSocket server;
        /** An inherited descriptor: junixsocket's close does not close it (as for adopted connections). */
        private final OwnedFd inherited;
        /** Threads inside {@link #accept}; close wakes them with a connection of its own (see {@link #close}). */
        private final AtomicInteger accepting = new AtomicInteger();
        private volatile boolean closing;

        private Listener(AFUNIXServerSocket server, OwnedFd inherited) {
            this.server = server;
            this.inherited = inherited;
        }

        /** Binds {@code path}; the socket file is removed again on close. */
        public static Listener bind(Path path) throws IOException {
            return new Listener(AFUNIXServerSocket.bindOn(path, true), null);
        }

        /** Takes over a listening AF_UNIX stream socket, e.g. one passed by systemd (LISTEN_FDS). */
        public static Listener inherit(OwnedFd listening) throws IOException {
            try {
                AFUNIXServerSocket server = FileDescriptorCast.unsafeUsing(listening.get())
                        .as(AFUNIXServerSocket.class);
                // The socket file belongs to whoever bound it (systemd keeps listening on it across restarts).
                server.setDeleteOnClose(false);
                return new Listener(server, listening);
            } catch (IOException | RuntimeException e) {
                listening.close();
                throw e;
            }
        }

        public UnixConnection accept(int ancillaryReceiveBytes) throws IOException {
            AFUNIXSocket socket;
            accepting.incrementAndGet();
            try {
                if (closing) {
                    throw new SocketException("the listening socket is closed");
                }
                socket = server.accept();
            } finally {
                accepting.decrementAndGet();
            }
            if (closing) {
                socket.close();
                throw new SocketException("the listening socket is closed");
            }
            return wrap(socket, null, ancillaryReceiveBytes);
        }

        /**
         * WHY the wake-up connection: closing junixsocket's server socket while another thread is blocked in accept
         * can leave the socket junixsocket prepared for that accept open (one leaked {@code socket:[…]} per close,
         * seen in ServerSocketCloseTest). So an accept in progress is first ended normally, by connecting to the
         * socket's own address; it closes what it got and reports the socket closed.
         */
        @Override
        public void close() throws IOException {
            closing = true;
            try {
                if (accepting.get() > 0) {
                    wakeAccepts();
                }
                server.close();
            } finally {
                if (inherited != null) {
                    inherited.close();
                }
            }
        }

        private void wakeAccepts() {
            if (!(server.getLocalSocketAddress() instanceof AFUNIXSocketAddress address) || !address.hasFilename()) {
                return; // No path to connect to: close alone must do.
            }
            UnixDomainSocketAddress self = UnixDomainSocketAddress.of(address.getPath());
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAKE_WAIT_MILLIS);
            while (accepting.get() > 0 && System.nanoTime() < deadline) {
                try {
                    SocketChannel.open(self).close();
                } catch (IOException e) {
                    return; // The file is gone or refuses: close alone must do.
                }
                LockSupport.parkNanos(WAKE_PAUSE_NANOS);
            }
        }
    }
}
