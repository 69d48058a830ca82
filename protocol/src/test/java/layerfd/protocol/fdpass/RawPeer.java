package layerfd.protocol.fdpass;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import layerfd.linux.OwnedFd;
import layerfd.protocol.fdpass.internal.UnixConnection;

/**
 * A socket end that speaks raw bytes and fds, one sendmsg/recvmsg per call, so a test can send what a broken or
 * unusual peer would and see exactly what went over the wire. Paired with an {@link FdpassSocket}.
 */
public final class RawPeer implements AutoCloseable {
    private static final int READ_BYTES = 1 << 20;
    private final UnixConnection connection;

    /** What one recvmsg returned. */
    public record Read(byte[] bytes, int fdCount) {
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private RawPeer(UnixConnection connection) {
        this.connection = connection;
    }

    /** A raw end and an {@link FdpassSocket} connected to each other; closing closes both. */
    public record Pair(RawPeer raw, FdpassSocket socket) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try {
                raw.close();
            } finally {
                socket.close();
            }
        }
    }

    public static Pair pair(FdpassOptions options) throws IOException {
        List<UnixConnection> ends = UnixConnection.pair(options.ancillaryReceiveBytes());
        return new Pair(new RawPeer(ends.get(0)), new FdpassSocket(ends.get(1), options));
    }

    public static Pair pair() throws IOException {
        return pair(FdpassOptions.defaults());
    }

    /** One write of {@code text} with {@code fds} attached; the fds stay owned by the caller. */
    public void send(String text, List<OwnedFd> fds) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] raw = fds.stream().mapToInt(OwnedFd::get).toArray();
        if (!connection.write(bytes, 0, bytes.length, raw)) {
            throw new IOException("EINVAL sending " + raw.length + " fds");
        }
    }

    /** {@link #send(String, List)}, then closes the fds: the kernel holds its own references until they arrive. */
    public void sendAndClose(String text, List<OwnedFd> fds) throws IOException {
        try {
            send(text, fds);
        } finally {
            fds.forEach(OwnedFd::close);
        }
    }

    public void send(String text) throws IOException {
        send(text, List.of());
    }

    /** One recvmsg; the fds received are closed at once, only their count is kept. Null at end of stream. */
    public Read read() throws IOException {
        byte[] buffer = new byte[READ_BYTES];
        List<OwnedFd> fds = new ArrayList<>();
        int n = connection.read(buffer, 0, buffer.length, fds);
        fds.forEach(OwnedFd::close);
        return n < 0 ? null : new Read(Arrays.copyOf(buffer, n), fds.size());
    }

    /** One recvmsg, keeping the fds (the caller owns them). */
    public byte[] read(List<OwnedFd> fdsOut) throws IOException {
        byte[] buffer = new byte[READ_BYTES];
        int n = connection.read(buffer, 0, buffer.length, fdsOut);
        return n < 0 ? null : Arrays.copyOf(buffer, n);
    }

    public void shutdownOutput() throws IOException {
        connection.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
