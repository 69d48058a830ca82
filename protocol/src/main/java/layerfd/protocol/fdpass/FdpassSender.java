package layerfd.protocol.fdpass;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import layerfd.linux.OwnedFd;
import layerfd.protocol.fdpass.internal.FdCountField;
import layerfd.protocol.fdpass.internal.FdpassJson;
import layerfd.protocol.fdpass.internal.UnixConnection;

/**
 * The sending half of a connection (README §4.1). Thread-safe: each message and all of its fd batches are written
 * under one lock, so messages never interleave. The socket blocks, so a partial write cannot tear a message.
 */
public final class FdpassSender {
    /** README §4.1: every continuation sendmsg carries exactly one 0x20 byte (never an empty payload). */
    private static final byte[] CONTINUATION = {0x20};

    private final UnixConnection connection;
    private final int maxMessageBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private int fdsPerSendmsg;
    private IOException broken;

    FdpassSender(UnixConnection connection, FdpassOptions options) {
        this.connection = connection;
        this.maxMessageBytes = options.maxMessageBytes();
        this.fdsPerSendmsg = options.maxFdsPerSendmsg();
    }

    /**
     * Sends {@code message} with {@code fds} at positions 0..N-1. A top-level {@code "fds"} field is set to N (and
     * left out when N is 0, as both upstream peers do); the caller's node is not modified. The sender takes
     * ownership of the fds and closes them when this call returns, whether it succeeded or not.
     *
     * @throws MessageTooLargeException the serialized message exceeds the limit; nothing was written
     * @throws IOException the socket failed; the stream may be torn and this sender refuses further messages
     */
    public void send(ObjectNode message, List<OwnedFd> fds) throws IOException {
        try {
            byte[] bytes = serialize(message, fds.size());
            int[] raw = new int[fds.size()];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = fds.get(i).get();
            }
            lock.lock();
            try {
                if (broken != null) {
                    throw new IOException("connection unusable after an earlier send failed: " + broken.getMessage(),
                            broken);
                }
                writeMessage(bytes, raw);
            } finally {
                lock.unlock();
            }
        } finally {
            fds.forEach(OwnedFd::close);
        }
    }

    /** The fds per sendmsg now in use: {@link FdpassOptions#maxFdsPerSendmsg()}, halved on each EINVAL. */
    public int fdsPerSendmsg() {
        lock.lock();
        try {
            return fdsPerSendmsg;
        } finally {
            lock.unlock();
        }
    }

    private byte[] serialize(ObjectNode message, int fdCount) throws IOException {
        ObjectNode wire = FdpassJson.NODES.objectNode();
        wire.setAll(message);
        wire.remove(FdCountField.KEY);
        if (fdCount > 0) {
            wire.put(FdCountField.KEY, fdCount);
        }
        byte[] bytes = FdpassJson.MAPPER.writeValueAsBytes(wire);
        if (bytes.length > maxMessageBytes) {
            throw new MessageTooLargeException("outgoing message", bytes.length, maxMessageBytes);
        }
        return bytes;
    }

    private void writeMessage(byte[] bytes, int[] fds) throws IOException {
        try {
            // The first batch rides on the write that starts at byte 0 of the message (README §4.1).
            int sent = writeBatch(bytes, fds, 0);
            while (sent < fds.length) {
                sent += writeBatch(CONTINUATION, fds, sent);
            }
        } catch (IOException e) {
            broken = e;
            throw e;
        }
    }

    /** Writes {@code data} with the next batch of fds from {@code from}; returns how many fds went. */
    private int writeBatch(byte[] data, int[] fds, int from) throws IOException {
        while (true) {
            int count = Math.min(fdsPerSendmsg, fds.length - from);
            int[] batch = Arrays.copyOfRange(fds, from, from + count);
            if (connection.write(data, 0, data.length, batch)) {
                return count;
            }
            // README §4.1: SHOULD handle EINVAL by shrinking the batch and retrying; nothing was sent. The smaller
            // size is kept for the rest of this connection, as the Rust and Go senders do.
            if (count == 1) {
                throw new IOException("the kernel refused to pass even one fd (sendmsg EINVAL)");
            }
            fdsPerSendmsg = count / 2;
        }
    }
}
