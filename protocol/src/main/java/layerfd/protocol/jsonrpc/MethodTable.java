package layerfd.protocol.jsonrpc;

import com.fasterxml.jackson.databind.node.NullNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Method name to handler, immutable. {@link #process(Request)} runs one request without any socket (as Rust's
 * {@code process_message} does), so a handler can be tested alone; the connection calls the same method.
 */
public final class MethodTable {
    private static final System.Logger LOG = System.getLogger(MethodTable.class.getName());
    private static final MethodTable EMPTY = new MethodTable(Map.of());

    private final Map<String, MethodHandler> handlers;

    private MethodTable(Map<String, MethodHandler> handlers) {
        this.handlers = Map.copyOf(handlers);
    }

    /** No methods: every request is answered -32601 (a pure client). */
    public static MethodTable empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Set<String> methods() {
        return handlers.keySet();
    }

    /**
     * Runs the handler of {@code request} and builds its response; never throws. Unknown method: -32601 naming
     * it. {@link RpcException}: its code and message. Any other exception: -32603 with the exception's message
     * only. The request (and every fd the handler did not take) is closed before this returns.
     */
    public Response process(Request request) {
        try (request) {
            MethodHandler handler = handlers.get(request.method());
            if (handler == null) {
                return Response.failure(request.id(), new RpcError(ErrorCodes.METHOD_NOT_FOUND,
                        "Method not found: " + request.method()));
            }
            Reply reply = handler.handle(request);
            return Response.success(request.id(), reply.result(), reply.fds());
        } catch (RpcException e) {
            return Response.failure(request.id(), e.toError());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "handler of " + request.method() + " failed", e);
            return Response.failure(request.id(), new RpcError(ErrorCodes.INTERNAL_ERROR,
                    "Internal error in " + request.method() + ": " + e));
        }
    }

    /** Runs the handler of a notification, if there is one, and drops its reply (closing the reply's fds). */
    public void process(Notification notification) {
        Request asRequest = new Request(NullNode.getInstance(),
                notification.method(), notification.params(), notification.takeFds());
        if (!handlers.containsKey(notification.method())) {
            asRequest.close();
            return;
        }
        try (Response ignored = process(asRequest)) {
            if (ignored.isError()) {
                LOG.log(System.Logger.Level.DEBUG, "notification " + notification.method() + " failed: "
                        + ignored.error().message());
            }
        }
    }

    /** Collects handlers; a name can be added once. */
    public static final class Builder {
        private final Map<String, MethodHandler> handlers = new LinkedHashMap<>();

        private Builder() {}

        public Builder add(String method, MethodHandler handler) {
            if (handlers.putIfAbsent(method, handler) != null) {
                throw new IllegalArgumentException("method registered twice: " + method);
            }
            return this;
        }

        public MethodTable build() {
            return new MethodTable(handlers);
        }
    }

    @Override
    public String toString() {
        return "MethodTable" + List.copyOf(handlers.keySet());
    }
}
