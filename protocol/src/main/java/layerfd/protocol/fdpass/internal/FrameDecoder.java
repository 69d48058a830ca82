package layerfd.protocol.fdpass.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import layerfd.linux.OwnedFd;
import layerfd.protocol.fdpass.FdpassException;
import layerfd.protocol.fdpass.FdpassFrame;
import layerfd.protocol.fdpass.FramingException;
import layerfd.protocol.fdpass.MessageTooLargeException;
import layerfd.protocol.fdpass.MismatchedFdCountException;
import layerfd.protocol.fdpass.PeerClosedMidMessageException;

/**
 * The receiver algorithm of jsonrpc-fdpass README §5 without any I/O: {@link #feed} what one recvmsg returned
 * (bytes and fds), then take complete frames with {@link #next}. Keeps a byte buffer and a FIFO of fds (§5.1); a
 * message whose fds have not all arrived is parked until they do (§5.3.4). Any protocol violation is fatal: the
 * decoder closes every fd it holds and repeats the same exception on every later call. Not thread-safe.
 */
public final class FrameDecoder implements AutoCloseable {
    private static final int INITIAL_BUFFER_BYTES = 64 * 1024;

    private final int maxMessageBytes;
    private final ArrayDeque<OwnedFd> fdQueue = new ArrayDeque<>();
    private byte[] buffer = new byte[INITIAL_BUFFER_BYTES];
    /** Unconsumed bytes are buffer[start, end). */
    private int start;
    private int end;
    /** The message being scanned starts at {@code start}; this many of its bytes went to the scanner. */
    private JsonValueScanner scanner;
    private int scanned;
    private Parked parked;
    private FdpassException failure;
    private boolean closed;

    /** A complete message waiting for its fds. */
    private record Parked(byte[] bytes, ObjectNode json, int fdCount) {}

    public FrameDecoder(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * Appends the result of one read. The fds are queued in the order given (§5.2); the decoder owns them from now
     * on, also when this call fails.
     */
    public void feed(byte[] bytes, int offset, int length, List<OwnedFd> fds) throws FdpassException {
        if (failure != null || closed) {
            fds.forEach(OwnedFd::close);
            throwIfUnusable();
        }
        int queuedBefore = fdQueue.size();
        fdQueue.addAll(fds);
        if (parked != null && queuedBefore < parked.fdCount()) {
            // §5.3.4, checked per read and before the fds of this read count: a read that brings bytes of the next
            // message while fds are missing may also bring that next message's fds (they ride on its first byte),
            // so taking them would hand them to the wrong message.
            for (int i = offset; i < offset + length; i++) {
                if (!isWhitespace(bytes[i])) {
                    throw fail(new MismatchedFdCountException(parked.fdCount(), queuedBefore,
                            "before the next message started (byte 0x" + Integer.toHexString(bytes[i] & 0xff) + ")"));
                }
            }
        }
        append(bytes, offset, length);
    }

    /** The next complete message with its fds, or empty when more bytes or fds are needed. */
    public Optional<FdpassFrame> next() throws FdpassException {
        throwIfUnusable();
        try {
            return Optional.ofNullable(decode());
        } catch (FdpassException e) {
            throw fail(e);
        }
    }

    /**
     * The peer closed its end. Returns normally if the stream ended between messages; otherwise fails: EOF while a
     * message waits for fds is a Mismatched Count (§5.3.4), EOF inside a JSON value a truncated message.
     */
    public void endOfStream() throws FdpassException {
        throwIfUnusable();
        skipWhitespace();
        if (parked != null) {
            throw fail(new MismatchedFdCountException(parked.fdCount(), fdQueue.size(),
                    "before the peer closed the connection"));
        }
        if (start < end) {
            throw fail(new PeerClosedMidMessageException(end - start));
        }
    }

    /** fds received but not yet handed out with a message (fds may arrive before their message, brief §4). */
    public int queuedFds() {
        return fdQueue.size();
    }

    /** Bytes received but not yet part of a returned message. */
    public int bufferedBytes() {
        return end - start;
    }

    private FdpassFrame decode() throws FdpassException {
        if (parked != null) {
            return completeParked();
        }
        skipWhitespace();
        if (start == end) {
            return null;
        }
        if (scanner == null) {
            checkObjectStart(buffer[start]);
            scanner = new JsonValueScanner();
            scanned = 0;
        }
        int length = scanner.feed(buffer, start + scanned, end - start - scanned);
        scanned = end - start;
        if (length == JsonValueScanner.INCOMPLETE) {
            if (scanned > maxMessageBytes) {
                throw new MessageTooLargeException("incoming message", -1, maxMessageBytes);
            }
            return null;
        }
        scanner.close();
        scanner = null;
        if (length > maxMessageBytes) {
            throw new MessageTooLargeException("incoming message", length, maxMessageBytes);
        }
        byte[] bytes = Arrays.copyOfRange(buffer, start, start + length);
        start += length;
        ObjectNode json = parseObject(bytes);
        // §5.3.3: N from "fds", absent means 0. §5.3.4: fewer than N queued -> park and read more.
        parked = new Parked(bytes, json, FdCountField.read(json));
        return completeParked();
    }

    private FdpassFrame completeParked() throws FdpassException {
        if (fdQueue.size() >= parked.fdCount()) {
            // §5.3.5: the first N fds of the FIFO are positions 0..N-1; extra fds wait for a later message.
            List<OwnedFd> fds = new ArrayList<>(parked.fdCount());
            for (int i = 0; i < parked.fdCount(); i++) {
                fds.add(fdQueue.poll());
            }
            FdpassFrame frame = new FdpassFrame(parked.bytes(), parked.json(), fds);
            parked = null;
            return frame;
        }
        // §5.3.4: while fds are missing only whitespace (continuation bytes) may follow; anything else means the
        // next message started before all fds of this one were sent.
        skipWhitespace();
        if (start < end) {
            throw new MismatchedFdCountException(parked.fdCount(), fdQueue.size(),
                    "before the next message started (byte 0x" + Integer.toHexString(buffer[start] & 0xff) + ")");
        }
        return null;
    }

    private static void checkObjectStart(byte first) throws FramingException {
        if (first == '[') {
            throw new FramingException("JSON-RPC batch arrays are not supported: top-level value must be an object");
        }
        if (first != '{') {
            throw new FramingException("top-level value must be an object, got a value starting with "
                    + describe(first));
        }
    }

    private static String describe(byte b) {
        return b >= 0x21 && b <= 0x7e ? "'" + (char) b + "'" : "byte 0x" + Integer.toHexString(b & 0xff);
    }

    private static ObjectNode parseObject(byte[] bytes) throws FramingException {
        try {
            JsonNode node = FdpassJson.MAPPER.readTree(bytes);
            return (ObjectNode) node;
        } catch (IOException e) {
            // The scanner accepted these bytes; a limit of the tree reader (nesting, number length) refused them.
            throw new FramingException("cannot parse message: " + e.getMessage(), e);
        }
    }

    /** RFC 8259 whitespace only: 0x0C (form feed), which Rust also skips, is a framing error here. */
    private static boolean isWhitespace(byte b) {
        return b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D;
    }

    private void skipWhitespace() {
        while (start < end && isWhitespace(buffer[start])) {
            start++;
        }
        if (start == end) {
            start = 0;
            end = 0;
        }
    }

    private void append(byte[] bytes, int offset, int length) {
        if (end + length > buffer.length) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
            if (end + length > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, end + length));
            }
        }
        System.arraycopy(bytes, offset, buffer, end, length);
        end += length;
    }

    private FdpassException fail(FdpassException e) {
        failure = e;
        release();
        return e;
    }

    private void throwIfUnusable() throws FdpassException {
        if (failure != null) {
            throw failure;
        }
        if (closed) {
            throw new IllegalStateException("frame decoder is closed");
        }
    }

    /** Closes every queued fd (README §8: on termination the receiver MUST close all fds still queued). */
    private void release() {
        while (!fdQueue.isEmpty()) {
            fdQueue.poll().close();
        }
        parked = null;
        if (scanner != null) {
            scanner.close();
            scanner = null;
        }
        buffer = new byte[0];
        start = 0;
        end = 0;
    }

    @Override
    public void close() {
        closed = true;
        release();
    }
}
