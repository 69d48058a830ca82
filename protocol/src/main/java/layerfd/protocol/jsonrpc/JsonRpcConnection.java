package layerfd.protocol.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Phaser;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import layerfd.linux.OwnedFd;
import layerfd.protocol.fdpass.FdpassException;
import layerfd.protocol.fdpass.FdpassFrame;
import layerfd.protocol.fdpass.FdpassSocket;
import layerfd.protocol.fdpass.MessageTooLargeException;
import layerfd.protocol.jsonrpc.internal.PendingCalls;

/**
 * One JSON-RPC endpoint over an {@link FdpassSocket}, usable by either side: {@link #call} pipelines requests and
 * matches responses by id (in any order); incoming requests run each on its own virtual thread through the
 * {@link MethodTable} and are answered as they finish. A request error is one error response; a framing or fd error
 * (any {@link FdpassException}) sends one -32050 error with id null and closes the connection.
 */
public final class JsonRpcConnection implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(JsonRpcConnection.class.getName());
    /**
     * Requests and notifications of one peer running at once; the reader stops reading (back-pressure) while all
     * are busy.
     */
    public static final int MAX_CONCURRENT_REQUESTS = 256;
    /** How long the -32050 notice before a fatal close may take (the peer may not be reading). */
    static final long FATAL_NOTICE_TIMEOUT_MILLIS = 1000;

    private final FdpassSocket socket;
    private final MethodTable methods;
    private final PendingCalls pending = new PendingCalls();
    private final Semaphore requestSlots = new Semaphore(MAX_CONCURRENT_REQUESTS);
    /** Counts running request handlers, so a clean end of stream can wait for their responses to go out. */
    private final Phaser running = new Phaser(1);
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private JsonRpcConnection(FdpassSocket socket, MethodTable methods) {
        this.socket = socket;
        this.methods = methods;
    }

    /**
     * Starts reading {@code socket}; the connection owns the socket from now on. The reader is a platform thread:
     * socket calls from virtual threads are moved to platform threads anyway (junixsocket loses fds on virtual
     * threads, see the fdpass internals), and the reader blocks in a read for the connection's whole life.
     */
    public static JsonRpcConnection start(FdpassSocket socket, MethodTable methods) {
        JsonRpcConnection connection = new JsonRpcConnection(socket, methods);
        Thread.ofPlatform().daemon().name("jsonrpc-reader").start(connection::readLoop);
        return connection;
    }

    /**
     * Sends a request with {@code fds} (handed over: closed once sent or on failure) and returns its response.
     * The caller owns the response and its fds. Fails with an IOException if the connection ends first.
     */
    public CompletableFuture<Response> call(String method, JsonNode params, List<OwnedFd> fds) {
        PendingCalls.Registered call;
        try {
            call = pending.register();
        } catch (IOException e) {
            fds.forEach(OwnedFd::close);
            return CompletableFuture.failedFuture(e);
        }
        try {
            send(new Request(call.id(), method, params, fds));
        } catch (IOException e) {
            pending.fail(call.id(), e);
        }
        return call.future();
    }

    /** Sends a notification (no answer comes); the fds are handed over. */
    public void notify(String method, JsonNode params, List<OwnedFd> fds) throws IOException {
        send(new Notification(method, params, fds));
    }

    /** Completes when the connection has ended: normally, or exceptionally with the protocol error that ended it. */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    /** Requests sent and not answered yet. */
    public int pendingCalls() {
        return pending.size();
    }

    private void send(JsonRpcMessage message) throws IOException {
        socket.sender().send(JsonRpcCodec.encode(message), message.takeFds());
    }

    private void readLoop() {
        try {
            while (true) {
                var frame = socket.receiver().receive();
                if (frame.isEmpty()) {
                    // Clean end of stream: answer what is running (the peer may only have half-closed), then end.
                    running.arriveAndAwaitAdvance();
                    end(null, new IOException("peer closed the connection"));
                    return;
                }
                dispatch(frame.get());
            }
        } catch (FdpassException e) {
            sendFatalNotice(e);
            end(e, new IOException("connection closed after a protocol error: " + e.getMessage(), e));
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (closing.get()) {
                end(null, new IOException("connection closed"));
            } else {
                end(e, new IOException("connection failed: " + e.getMessage(), e));
            }
        }
    }

    private void dispatch(FdpassFrame frame) throws InterruptedException {
        JsonRpcMessage message;
        try {
            message = JsonRpcCodec.decode(frame);
        } catch (InvalidMessageException e) {
            rejectInvalid(e);
            return;
        }
        switch (message) {
            case Request request -> runRequest(request);
            case Notification notification -> runNotification(notification);
            case Response response -> {
                if (!pending.complete(response)) {
                    LOG.log(System.Logger.Level.DEBUG, "dropping a response nobody waits for, id " + response.id());
                    response.close();
                }
            }
        }
    }

    private void runRequest(Request request) throws InterruptedException {
        requestSlots.acquire();
        running.register();
        Thread.ofVirtual().name("jsonrpc-" + request.method()).start(() -> {
            try {
                answer(methods.process(request));
            } finally {
                running.arriveAndDeregister();
                requestSlots.release();
            }
        });
    }

    /** Notifications take request slots too, so a flood of them cannot start unbounded threads. */
    private void runNotification(Notification notification) throws InterruptedException {
        requestSlots.acquire();
        Thread.ofVirtual().name("jsonrpc-" + notification.method()).start(() -> {
            try {
                methods.process(notification);
            } finally {
                requestSlots.release();
            }
        });
    }

    private void answer(Response response) {
        try {
            send(response);
        } catch (MessageTooLargeException e) {
            // Nothing was written; the caller still gets an answer.
            sendQuietly(Response.failure(response.id(), new RpcError(ErrorCodes.RESOURCE_LIMIT_REACHED,
                    "response too large: " + e.getMessage())));
        } catch (IOException e) {
            response.close();
            LOG.log(System.Logger.Level.DEBUG, "cannot answer request " + response.id() + ": " + e.getMessage());
        }
    }

    private void rejectInvalid(InvalidMessageException e) {
        if (e.answerable()) {
            // JSON-RPC 2.0 §5.1: Invalid Request, id as received if it could be read, else null.
            sendQuietly(Response.failure(e.id(), new RpcError(ErrorCodes.INVALID_REQUEST, e.getMessage())));
        } else {
            pending.fail(e.id(), new IOException(e.getMessage(), e));
        }
    }

    /**
     * README §7 only says "close". layerfd first tells the peer why, in one -32050 error with id null (nothing
     * else can be matched), bounded in time because a broken peer may not read.
     */
    private void sendFatalNotice(FdpassException e) {
        Thread notice = Thread.ofVirtual().start(() -> sendQuietly(Response.failure(NullNode.getInstance(),
                new RpcError(ErrorCodes.FILE_DESCRIPTOR_ERROR, e.getMessage()))));
        try {
            notice.join(FATAL_NOTICE_TIMEOUT_MILLIS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void sendQuietly(Response response) {
        try {
            send(response);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot send error response: " + e.getMessage());
        }
    }

    private void end(Throwable failure, IOException forCalls) {
        pending.closeAll(forCalls);
        closeSocket();
        if (failure == null) {
            closed.complete(null);
        } else {
            closed.completeExceptionally(failure);
        }
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the socket failed: " + e.getMessage());
        }
    }

    /** Closes the socket; calls still waiting fail; requests still running cannot answer any more. */
    @Override
    public void close() {
        if (closing.compareAndSet(false, true)) {
            closeSocket();
        }
    }
}
