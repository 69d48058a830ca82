package layerfd.server.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A client that writes arbitrary bytes to the server's socket, no framing and no fds (fds sent to such a reader
 * would be dropped by the kernel), and reads whatever comes back: for input no well-behaved client can send.
 */
final class RawClient implements AutoCloseable {
    private static final int READ_BYTES = 1 << 16;

    /** What the server sent, and whether it closed the connection (else it went quiet and kept it open). */
    record Reply(String text, boolean closed) {}

    private final SocketChannel channel;

    private RawClient(SocketChannel channel) {
        this.channel = channel;
    }

    static RawClient connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        return new RawClient(channel);
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes everything; a server that closes first makes this throw (a broken pipe is a reaction too). */
    void send(byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    /** Reads until the server closes the connection, or sends nothing for {@code quietMillis}. */
    Reply read(long quietMillis) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        channel.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_READ);
            ByteBuffer buffer = ByteBuffer.allocate(READ_BYTES);
            while (selector.select(quietMillis) > 0) {
                selector.selectedKeys().clear();
                int n;
                try {
                    n = channel.read(buffer.clear());
                } catch (IOException reset) {
                    return new Reply(out.toString(StandardCharsets.UTF_8), true);
                }
                if (n < 0) {
                    return new Reply(out.toString(StandardCharsets.UTF_8), true);
                }
                out.write(buffer.array(), 0, n);
            }
        } finally {
            channel.configureBlocking(true);
        }
        return new Reply(out.toString(StandardCharsets.UTF_8), false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
