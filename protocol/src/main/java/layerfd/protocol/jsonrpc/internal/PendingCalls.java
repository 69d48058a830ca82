package layerfd.protocol.jsonrpc.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import layerfd.protocol.jsonrpc.Response;

/**
 * Calls sent and not yet answered, by id. Ids are numbers this side made up; a response is matched by the JSON text
 * of its id, so 7 parsed as an int and 7 made as a long are the same call.
 */
public final class PendingCalls {
    private final AtomicLong nextId = new AtomicLong(1);
    private final Map<String, CompletableFuture<Response>> calls = new ConcurrentHashMap<>();
    private IOException closedBy;

    /** A fresh id with its future registered, before the request goes out (the answer can beat the send). */
    public synchronized Registered register() throws IOException {
        if (closedBy != null) {
            throw new IOException("connection closed: " + closedBy.getMessage(), closedBy);
        }
        JsonNode id = LongNode.valueOf(nextId.getAndIncrement());
        CompletableFuture<Response> future = new CompletableFuture<>();
        calls.put(id.toString(), future);
        return new Registered(id, future);
    }

    /** A registered call: its id and the future its response completes. */
    public record Registered(JsonNode id, CompletableFuture<Response> future) {}

    /** Completes the call {@code response} answers; false (and the caller closes it) if no call waits for it. */
    public boolean complete(Response response) {
        CompletableFuture<Response> future = calls.remove(response.id().toString());
        return future != null && future.complete(response);
    }

    /** Fails the call with {@code id}, if one waits. */
    public void fail(JsonNode id, Throwable cause) {
        CompletableFuture<Response> future = calls.remove(id.toString());
        if (future != null) {
            future.completeExceptionally(cause);
        }
    }

    /** Fails every waiting call and every later {@link #register()}. */
    public synchronized void closeAll(IOException cause) {
        if (closedBy == null) {
            closedBy = cause;
        }
        calls.values().forEach(f -> f.completeExceptionally(cause));
        calls.clear();
    }

    public int size() {
        return calls.size();
    }
}
