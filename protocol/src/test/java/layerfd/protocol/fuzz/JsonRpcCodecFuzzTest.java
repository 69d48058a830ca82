package layerfd.protocol.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import layerfd.linux.OwnedFd;
import layerfd.protocol.fdpass.FdpassException;
import layerfd.protocol.fdpass.FdpassFrame;
import layerfd.protocol.fdpass.internal.FdCountField;
import layerfd.protocol.fdpass.internal.FdpassJson;
import layerfd.protocol.fdpass.internal.FrameDecoder;
import layerfd.protocol.jsonrpc.InvalidMessageException;
import layerfd.protocol.jsonrpc.JsonRpcCodec;
import layerfd.protocol.jsonrpc.JsonRpcMessage;
import layerfd.testing.OpenFds;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * Frames to JSON-RPC 2.0 messages (jsonrpc-fdpass brief §7): the input is a byte stream of jsonrpc-fdpass messages,
 * framed by the real receiver with {@link #FDS_UP_FRONT} fds available. Properties, per frame:
 * <ul>
 *   <li>classification yields a message or an {@link InvalidMessageException} with a message; nothing else;</li>
 *   <li>a message keeps every fd of its frame; a refused frame's fds are closed (no fd leak per input);</li>
 *   <li>round trip over the wire: encode, serialise with the fds count, frame and classify again gives a message
 *   that encodes to the same JSON.</li>
 * </ul>
 */
class JsonRpcCodecFuzzTest {
    private static final int MAX_MESSAGE_BYTES = 64 * 1024;
    private static final int FDS_UP_FRONT = 4;

    /** Opens the shared /dev/null before the first per-input fd snapshot, so it is not taken for a leak. */
    @BeforeAll
    static void openSharedFdSource() throws Exception {
        ReceivedFds.of(0);
    }

    @FuzzTest
    @Timeout(10)
    void framesClassifyOrAreRefusedAndRoundTrip(byte[] input) throws Exception {
        TreeSet<Integer> before = OpenFds.snapshot();
        try (FrameDecoder decoder = new FrameDecoder(MAX_MESSAGE_BYTES)) {
            decoder.feed(input, 0, input.length, ReceivedFds.of(FDS_UP_FRONT));
            for (Optional<FdpassFrame> next; (next = decoder.next()).isPresent(); ) {
                classify(next.get());
            }
        } catch (FdpassException framing) {
            // Not this target's subject: FrameDecoderFuzzTest covers framing errors.
        }
        OpenFds.assertNoneNew(before, "JSON-RPC classification");
    }

    private static void classify(FdpassFrame frame) throws Exception {
        int fds = frame.fdCount();
        JsonRpcMessage message;
        try {
            message = JsonRpcCodec.decode(frame);
        } catch (InvalidMessageException e) {
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "refusal without a message");
            assertTrue(frame.fds().stream().noneMatch(OwnedFd::isOpen), "a refused frame kept an fd open");
            return;
        }
        try (message) {
            assertEquals(fds, message.fds().size(), "fds of " + message);
            ObjectNode encoded = JsonRpcCodec.encode(message);
            try (JsonRpcMessage again = overTheWire(encoded, message.takeFds())) {
                assertEquals(message.getClass(), again.getClass());
                assertEquals(fds, again.fds().size());
                assertEquals(encoded, JsonRpcCodec.encode(again), "encode(decode(encode(m))) != encode(m)");
            }
        }
    }

    /** What a peer receives when {@code json} is sent with {@code fds}: serialised as the sender does, framed. */
    private static JsonRpcMessage overTheWire(ObjectNode json, List<OwnedFd> fds) throws Exception {
        ObjectNode wire = json.deepCopy();
        if (!fds.isEmpty()) {
            wire.put(FdCountField.KEY, fds.size());
        }
        byte[] bytes = FdpassJson.MAPPER.writeValueAsBytes(wire);
        try (FrameDecoder decoder = new FrameDecoder(MAX_MESSAGE_BYTES)) {
            decoder.feed(bytes, 0, bytes.length, fds);
            FdpassFrame frame = decoder.next().orElseThrow(() -> new AssertionError("re-encoded message not framed"));
            decoder.endOfStream();
            return JsonRpcCodec.decode(frame);
        }
    }
}
