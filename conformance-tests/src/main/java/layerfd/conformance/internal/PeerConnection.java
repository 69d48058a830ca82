package layerfd.conformance.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import layerfd.conformance.report.CheckFailed;
import layerfd.linux.OwnedFd;
import layerfd.protocol.fdpass.FdpassFrame;
import layerfd.protocol.fdpass.FdpassOptions;
import layerfd.protocol.fdpass.FdpassSocket;
import layerfd.protocol.jsonrpc.InvalidMessageException;
import layerfd.protocol.jsonrpc.JsonRpcCodec;
import layerfd.protocol.jsonrpc.JsonRpcMessage;
import layerfd.protocol.jsonrpc.Response;

/**
 * One connection to the peer under test, driven message by message so a check chooses its ids, pipelines, and sees
 * exactly what came back. Every wait for an answer is bounded: a silent peer is a FAIL, not a hang.
 */
public final class PeerConnection implements AutoCloseable {
    /** How long a peer may take to answer one message (a 300-fd answer included). */
    public static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Path path;
    private final FdpassSocket socket;
    /** FdpassReceiver is single-threaded; one platform thread does every receive so it can be timed out. */
    private final ExecutorService reader = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("conformance-reader").factory());
    private long nextId = 1;

    private PeerConnection(Path path, FdpassSocket socket) {
        this.path = path;
        this.socket = socket;
    }

    public static PeerConnection open(Path path, FdpassOptions options) throws CheckFailed {
        // Checked first: junixsocket 2.11.1 leaves the new socket's fd open when connect(2) fails.
        if (!Files.exists(path)) {
            throw new CheckFailed("cannot connect to " + path + ": no such socket file");
        }
        try {
            return new PeerConnection(path, FdpassSocket.connect(path, options));
        } catch (IOException e) {
            throw new CheckFailed("cannot connect to " + path + ": " + e.getMessage(), e);
        }
    }

    /** A JSON-RPC 2.0 request; {@code params} null leaves the key out (absent params). */
    public static ObjectNode request(JsonNode id, String method, JsonNode params) {
        ObjectNode request = JSON.objectNode().put("jsonrpc", "2.0").put("method", method);
        if (params != null) {
            request.set("params", params);
        }
        request.set("id", id);
        return request;
    }

    /** The next numeric id of this connection: 1, 2, 3, ... */
    public JsonNode nextId() {
        return JSON.numberNode(nextId++);
    }

    /** Sends {@code message} with {@code fds} (handed over: closed once sent). */
    public void send(ObjectNode message, List<OwnedFd> fds) throws IOException {
        socket.sender().send(message, fds);
    }

    /** The next message from the peer; the caller owns it. End of stream or silence is a FAIL. */
    public FdpassFrame receive() throws CheckFailed, IOException, InterruptedException {
        Future<Optional<FdpassFrame>> next = reader.submit(() -> socket.receiver().receive());
        try {
            return next.get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).orElseThrow(
                    () -> new CheckFailed("the peer closed the connection without answering"));
        } catch (TimeoutException e) {
            // Closing wakes the blocked receive; a frame that raced in is closed with its fds.
            socket.close();
            closeLate(next);
            throw new CheckFailed("no answer within " + ANSWER_TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new CheckFailed("receiving failed: " + cause.getClass().getSimpleName() + ": "
                    + cause.getMessage(), cause);
        }
    }

    /** The next message as a response with the given id; anything else is a FAIL. The caller owns it. */
    public Response receiveResponse(JsonNode id) throws CheckFailed, IOException, InterruptedException {
        Response response = decodeResponse(receive());
        if (!sameId(id, response.id())) {
            response.close();
            throw new CheckFailed("response id " + response.id() + " does not match request id " + id);
        }
        return response;
    }

    /** Sends one request with a fresh id and returns its response (caller owns it). */
    public Response call(String method, JsonNode params, List<OwnedFd> fds)
            throws CheckFailed, IOException, InterruptedException {
        JsonNode id = nextId();
        send(request(id, method, params), fds);
        return receiveResponse(id);
    }

    /** As {@link #call}, and an error response is a FAIL naming the method, code and message. */
    public Response callForResult(String method, JsonNode params, List<OwnedFd> fds)
            throws CheckFailed, IOException, InterruptedException {
        Response response = call(method, params, fds);
        try {
            requireResult(response, method);
        } catch (CheckFailed e) {
            response.close();
            throw e;
        }
        return response;
    }

    /** {@code frame} as a response (it hands over its fds); a request, notification or invalid message FAILs. */
    public static Response decodeResponse(FdpassFrame frame) throws CheckFailed {
        String raw = frame.json().toString();
        JsonRpcMessage message;
        try {
            message = JsonRpcCodec.decode(frame);
        } catch (InvalidMessageException e) {
            throw new CheckFailed("not a valid JSON-RPC response (" + e.getMessage() + "): " + abbreviate(raw));
        }
        if (message instanceof Response response) {
            return response;
        }
        message.close();
        throw new CheckFailed("expected a response, got " + abbreviate(raw));
    }

    /**
     * Ids compare by value: a peer may re-serialise 42 as 42 or 42.0 (Go decodes numbers as float64), and Jackson
     * may pick different node types for the same integer; a string never equals a number.
     */
    public static boolean sameId(JsonNode sent, JsonNode received) {
        return JsonValues.same(sent, received);
    }

    /** An error response is a FAIL naming the method, code and message. */
    public static void requireResult(Response response, String method) throws CheckFailed {
        if (response.isError()) {
            throw new CheckFailed(method + " answered error " + response.error().code() + ": "
                    + response.error().message());
        }
    }

    /** Fails unless {@code expected} and {@code actual} are the same JSON value. */
    public static void requireSameJson(JsonNode expected, JsonNode actual, String what) throws CheckFailed {
        if (!JsonValues.same(expected, actual)) {
            throw new CheckFailed(what + ": expected " + expected + ", got " + actual);
        }
    }

    public Path path() {
        return path;
    }

    static String abbreviate(String text) {
        int limit = 200;
        return text.length() <= limit ? text : text.substring(0, limit) + "...";
    }

    private static void closeLate(Future<Optional<FdpassFrame>> late) throws InterruptedException {
        try {
            late.get().ifPresent(FdpassFrame::close);
        } catch (ExecutionException ignored) {
            // The receive failed because the socket was closed: nothing arrived that needs closing.
        }
    }

    @Override
    public void close() throws IOException {
        reader.shutdownNow();
        socket.close();
    }
}
