package layerfd.conformance.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import layerfd.conformance.internal.JsonValues;
import layerfd.linux.OwnedFd;
import layerfd.linux.SocketPair;
import layerfd.protocol.fdpass.FdpassException;
import layerfd.protocol.fdpass.FdpassFrame;
import layerfd.protocol.fdpass.FdpassOptions;
import layerfd.protocol.fdpass.FdpassSocket;
import layerfd.protocol.fdpass.FramingException;
import layerfd.protocol.fdpass.MismatchedFdCountException;
import layerfd.protocol.fdpass.PeerClosedMidMessageException;
import layerfd.protocol.fdpass.TestFds;
import layerfd.protocol.fdpass.internal.FrameDecoder;
import layerfd.protocol.fdpass.internal.UnixConnection;
import layerfd.protocol.jsonrpc.ErrorCodes;
import layerfd.protocol.jsonrpc.InvalidMessageException;
import layerfd.protocol.jsonrpc.JsonRpcCodec;
import layerfd.protocol.jsonrpc.JsonRpcMessage;
import layerfd.protocol.jsonrpc.Notification;
import layerfd.protocol.jsonrpc.Request;
import layerfd.protocol.jsonrpc.Response;
import layerfd.testing.OpenFds;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs conformance-tests/vectors/jsonrpc-fdpass (cases.json) against the Java codecs: every receive case through
 * protocol's FrameDecoder (each delivery fed as one read, and split at every byte) and JsonRpcCodec, every send
 * schedule through FdpassSender on a real socketpair, observed with one raw recvmsg per call.
 */
class FdpassVectorsTest {
    static final Path FOLDER = Path.of("vectors", "jsonrpc-fdpass");
    /** Fewer cases means the folder or cases.json lost some. */
    private static final int MIN_RECEIVE_CASES = 25;
    private static final int MIN_SEND_CASES = 10;
    private static final int READ_BYTES = 64 * 1024;
    private static final long SEND_SECONDS = 30;

    static JsonNode cases() throws IOException {
        return new ObjectMapper().readTree(FOLDER.resolve("cases.json").toFile());
    }

    static Stream<Arguments> receiveCases() throws IOException {
        List<Arguments> all = new ArrayList<>();
        for (JsonNode c : cases().get("receive")) {
            all.add(Arguments.of(c.get("name").asText(), c, false));
            all.add(Arguments.of(c.get("name").asText() + " split at every byte", c, true));
        }
        return all.stream();
    }

    static Stream<Arguments> sendCases() throws IOException {
        List<Arguments> all = new ArrayList<>();
        cases().get("send").forEach(c -> all.add(Arguments.of(c.get("name").asText(), c)));
        return all.stream();
    }

    @Test
    void everyDeliveryFileBelongsToACaseAndTheFolderIsComplete() throws IOException {
        JsonNode cases = cases();
        assertTrue(cases.get("receive").size() >= MIN_RECEIVE_CASES, "receive cases: " + cases.get("receive").size());
        assertTrue(cases.get("send").size() >= MIN_SEND_CASES, "send cases: " + cases.get("send").size());
        List<String> named = new ArrayList<>();
        cases.get("receive").forEach(c -> c.get("deliveries").forEach(d -> named.add(d.get("file").asText())));
        try (Stream<Path> files = Files.list(FOLDER)) {
            List<String> bins = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".bin")).sorted()
                    .toList();
            assertEquals(named.stream().sorted().toList(), bins);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("receiveCases")
    void theFrameDecoderDoesWhatTheReceiveCaseSays(String name, JsonNode c, boolean split) throws Exception {
        var before = OpenFds.snapshot();
        List<JsonNode> got = new ArrayList<>();
        JsonNode end = JsonNodeFactory.instance.textNode("clean");
        int fdNumber = 0;
        try (FrameDecoder decoder = new FrameDecoder(FdpassOptions.DEFAULT_MAX_MESSAGE_BYTES)) {
            try {
                for (JsonNode delivery : c.get("deliveries")) {
                    byte[] bytes = Files.readAllBytes(FOLDER.resolve(delivery.get("file").asText()));
                    List<OwnedFd> fds = new ArrayList<>();
                    for (int i = 0; i < delivery.get("fds").asInt(); i++) {
                        fds.add(TestFds.memfd("fd-" + fdNumber++));
                    }
                    int step = split ? 1 : bytes.length;
                    for (int at = 0; at < bytes.length; at += step) {
                        decoder.feed(bytes, at, step, at == 0 ? fds : List.of());
                        drain(decoder, got);
                    }
                }
                decoder.endOfStream();
            } catch (FdpassException e) {
                end = JsonNodeFactory.instance.objectNode().put("fatal", kind(e));
            }
        }
        List<JsonNode> expected = new ArrayList<>();
        for (JsonNode m : c.get("messages")) {
            ObjectNode e = m.deepCopy();
            var names = e.putArray("fds");
            m.get("fds").forEach(n -> names.add("fd-" + n.asInt()));
            expected.add(e);
        }
        assertEquals(expected.size(), got.size(), "messages: " + got);
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(JsonValues.same(expected.get(i), got.get(i)), "message " + i + ": " + got.get(i)
                    + ", expected " + expected.get(i));
        }
        assertEquals(c.get("end"), end, "end of " + name);
        OpenFds.assertNoneNew(before, "the decoder of " + name);
    }

    private static void drain(FrameDecoder decoder, List<JsonNode> got) throws FdpassException, IOException {
        for (Optional<FdpassFrame> next = decoder.next(); next.isPresent(); next = decoder.next()) {
            FdpassFrame frame = next.get();
            ObjectNode seen = JsonNodeFactory.instance.objectNode();
            seen.set("value", frame.json().deepCopy());
            var contents = seen.putArray("fds");
            TestFds.contents(frame.fds()).forEach(contents::add);
            seen.set("rpc", reaction(frame));
            got.add(seen);
        }
    }

    /** The JSON-RPC reaction in the vectors' terms; JsonRpcCodec takes the frame (and closes it on failure). */
    private static JsonNode reaction(FdpassFrame frame) {
        try (JsonRpcMessage message = JsonRpcCodec.decode(frame)) {
            return JsonNodeFactory.instance.textNode(switch (message) {
                case Request r -> "request";
                case Notification n -> "notification";
                case Response r -> "response";
            });
        } catch (InvalidMessageException e) {
            assertTrue(e.answerable(), "an invalid request is answered: " + e.getMessage());
            ObjectNode invalid = JsonNodeFactory.instance.objectNode().put("invalid", ErrorCodes.INVALID_REQUEST);
            invalid.set("reply_id", e.id());
            return invalid;
        }
    }

    private static String kind(FdpassException e) {
        return switch (e) {
            case FramingException f -> "framing";
            case MismatchedFdCountException m -> "mismatched-count";
            case PeerClosedMidMessageException p -> "closed-mid-message";
            default -> e.getClass().getSimpleName();
        };
    }

    /** What the observing end saw: the first call's bytes and every call as {"payload", "fds"}. */
    private record Observed(byte[] first, List<JsonNode> calls) {}

    /**
     * The first socket of the JVM opens /dev/random and /dev/urandom for good (junixsocket's native setup); one
     * schedule before the measured ones keeps them out of the fd comparison.
     */
    @BeforeAll
    static void openTheFirstSocketBeforeMeasuring() throws Exception {
        observe(JsonNodeFactory.instance.objectNode().put("jsonrpc", "2.0").put("method", "warm-up"), 1, 1);
    }

    private static Observed observe(ObjectNode message, int count, int maxFdsPerSendmsg) throws Exception {
        List<OwnedFd> ends = SocketPair.openStream();
        FdpassOptions options = FdpassOptions.defaults().withMaxFdsPerSendmsg(maxFdsPerSendmsg);
        List<JsonNode> calls = new ArrayList<>();
        byte[] first = null;
        try (FdpassSocket sending = FdpassSocket.adopt(ends.get(0), options);
                UnixConnection observing = UnixConnection.adopt(ends.get(1),
                        FdpassOptions.DEFAULT_ANCILLARY_RECEIVE_BYTES)) {
            List<OwnedFd> fds = TestFds.numbered("fd", count);
            CompletableFuture<Void> send = CompletableFuture.runAsync(() -> {
                try {
                    sending.sender().send(message, fds);
                    sending.shutdownOutput();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            byte[] buffer = new byte[READ_BYTES];
            while (true) {
                List<OwnedFd> received = new ArrayList<>();
                int n = observing.read(buffer, 0, buffer.length, received);
                received.forEach(OwnedFd::close);
                if (n < 0) {
                    break;
                }
                if (calls.isEmpty()) {
                    first = Arrays.copyOf(buffer, n);
                }
                String payload = calls.isEmpty() ? "message" : new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
                calls.add(JsonNodeFactory.instance.objectNode().put("payload", payload).put("fds", received.size()));
            }
            send.get(SEND_SECONDS, TimeUnit.SECONDS);
        }
        return new Observed(first, calls);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sendCases")
    void theSenderMakesTheScheduledSendmsgCalls(String name, JsonNode c) throws Exception {
        var before = OpenFds.snapshot();
        int count = c.get("fds").asInt();
        ObjectNode message = JsonNodeFactory.instance.objectNode().put("jsonrpc", "2.0").put("method", "fds")
                .put("id", 1);
        Observed observed = observe(message, count, c.get("max_fds_per_sendmsg").asInt());
        byte[] first = observed.first();
        List<JsonNode> calls = observed.calls();
        ObjectNode expectedFirst = message.deepCopy();
        if (count > 0) {
            expectedFirst.put("fds", count);
        }
        assertTrue(first != null && JsonValues.same(expectedFirst, new ObjectMapper().readTree(first)),
                "first sendmsg: " + (first == null ? "none" : new String(first, StandardCharsets.UTF_8)));
        if (!c.get("calls").isNull()) {
            assertEquals(c.get("calls"), JsonNodeFactory.instance.arrayNode().addAll(calls), name);
        } else {
            JsonNode rule = c.get("constraints");
            int total = 0;
            for (int i = 0; i < calls.size(); i++) {
                int fds = calls.get(i).get("fds").asInt();
                assertTrue(fds <= rule.get("max_fds_per_call").asInt(), "call " + i + " carried " + fds + " fds");
                if (i > 0) {
                    assertEquals(rule.get("continuation_payload").asText(), calls.get(i).get("payload").asText());
                }
                total += fds;
            }
            assertEquals(rule.get("total_fds").asInt(), total, "fds sent: " + calls);
        }
        OpenFds.assertNoneNew(before, "the sender of " + name);
    }
}
