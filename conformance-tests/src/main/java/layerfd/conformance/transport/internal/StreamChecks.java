package layerfd.conformance.transport.internal;

import static layerfd.conformance.transport.TransportMethods.ECHO;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import layerfd.conformance.internal.PeerConnection;
import layerfd.conformance.report.CheckFailed;
import layerfd.protocol.jsonrpc.Response;

/** The byte stream itself: many requests in flight at once, and a message that is not compact JSON. */
public final class StreamChecks {
    /** Requests written before any answer is read (both upstream libraries allow pipelining). */
    public static final int PIPELINED_REQUESTS = 100;
    /**
     * README §2.2: a message is delimited by the end of its JSON value only, never by a newline; whitespace inside
     * and between values is allowed. Written raw, exactly as here.
     */
    static final String PRETTY_REQUEST = """
            {
              "jsonrpc": "2.0",
              "method": "echo",
              "params": {
                "pretty": true,
                "lines": [
                  1,
                  2
                ]
              },
              "id": "pretty-printed-1"
            }""";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int READ_CHUNK_BYTES = 4096;

    private final TransportSession session;

    public StreamChecks(TransportSession session) {
        this.session = session;
    }

    /** 100 echo requests sent before reading; every one is answered once, with its own params (any order). */
    public void pipelined() throws Exception {
        try (PeerConnection peer = session.connect()) {
            Map<JsonNode, JsonNode> waiting = new HashMap<>();
            for (int i = 0; i < PIPELINED_REQUESTS; i++) {
                JsonNode id = JSON.textNode("pipelined-" + i);
                JsonNode params = JSON.objectNode().put("sequence", i);
                waiting.put(id, params);
                peer.send(PeerConnection.request(id, ECHO, params), List.of());
            }
            for (int answered = 0; answered < PIPELINED_REQUESTS; answered++) {
                try (Response response = PeerConnection.decodeResponse(peer.receive())) {
                    JsonNode expected = waiting.remove(response.id());
                    CheckFailed.unless(expected != null, "answer " + (answered + 1) + " has id " + response.id()
                            + ", which is no request still waiting (duplicate or unknown)");
                    PeerConnection.requireResult(response, ECHO + " " + response.id());
                    PeerConnection.requireSameJson(expected, response.result(), "result of " + response.id());
                }
            }
        }
    }

    /** A multi-line pretty-printed request written raw on the socket is answered like a compact one. */
    public void prettyPrinted() throws Exception {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(session.options().socket());
        ExecutorService reader = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("conformance-raw-reader").factory());
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(address);
            ByteBuffer out = ByteBuffer.wrap(PRETTY_REQUEST.getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            Future<JsonNode> answer = reader.submit(() -> readOneValue(channel));
            JsonNode response;
            try {
                response = answer.get(PeerConnection.ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new CheckFailed("no answer within " + PeerConnection.ANSWER_TIMEOUT.toSeconds() + " s to "
                        + "a pretty-printed request (a peer that frames by line waits for a newline forever)");
            } catch (ExecutionException e) {
                throw new CheckFailed("reading the answer failed: " + e.getCause().getMessage(), e.getCause());
            }
            JsonNode request = MAPPER.readTree(PRETTY_REQUEST);
            CheckFailed.unless(response.has("result"), "no result in the answer: " + response);
            PeerConnection.requireSameJson(request.get("id"), response.path("id"), "response id");
            PeerConnection.requireSameJson(request.get("params"), response.get("result"), "echoed params");
        } finally {
            reader.shutdownNow();
        }
    }

    /** Reads until the bytes hold one complete JSON value (the answer carries no fds) and returns it. */
    private static JsonNode readOneValue(SocketChannel channel) throws IOException, CheckFailed {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        ByteBuffer chunk = ByteBuffer.allocate(READ_CHUNK_BYTES);
        while (true) {
            chunk.clear();
            if (channel.read(chunk) < 0) {
                throw new CheckFailed("the peer closed the connection after " + received.size() + " bytes: "
                        + received.toString(StandardCharsets.UTF_8));
            }
            received.write(chunk.array(), 0, chunk.position());
            try {
                JsonNode value = MAPPER.readTree(received.toByteArray());
                if (!value.isMissingNode()) {
                    return value;
                }
            } catch (JsonProcessingException incomplete) {
                // Not a whole value yet: read on. A peer that never completes one hits the answer timeout.
            }
        }
    }
}
