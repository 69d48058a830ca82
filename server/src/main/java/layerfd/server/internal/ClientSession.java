package layerfd.server.internal;

import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import layerfd.protocol.fdpass.FdpassException;
import layerfd.protocol.fdpass.FdpassFrame;
import layerfd.protocol.fdpass.FdpassSocket;
import layerfd.protocol.fdpass.MessageTooLargeException;
import layerfd.protocol.fdpass.PeerCredentials;
import layerfd.protocol.jsonrpc.ErrorCodes;
import layerfd.protocol.jsonrpc.InvalidMessageException;
import layerfd.protocol.jsonrpc.JsonRpcCodec;
import layerfd.protocol.jsonrpc.JsonRpcMessage;
import layerfd.protocol.jsonrpc.MethodTable;
import layerfd.protocol.jsonrpc.Notification;
import layerfd.protocol.jsonrpc.Request;
import layerfd.protocol.jsonrpc.Response;
import layerfd.protocol.jsonrpc.RpcError;
import layerfd.server.methods.ConnectionState;
import layerfd.server.methods.RequestScope;

/**
 * One client connection of the server. A reader loop takes messages off the socket; each request runs on its own
 * virtual thread (pipelining: answers go out as they are ready, matched by id), at most
 * {@code maxRequests} at once, after which the reader waits (back-pressure). This is the answering half of
 * {@code JsonRpcConnection} with what a server needs on top: each response's fds stay accounted to the connection
 * until the send has finished ({@link RequestScope}), every request is logged once after its response went out,
 * and shutdown can drain the connection. A request error is one error response and never closes the connection;
 * a framing or fd-count error closes it (api-contract §3.5).
 */
public final class ClientSession {
    /** How long the -32050 notice before a fatal close may take (the peer may not be reading). */
    static final long FATAL_NOTICE_MILLIS = 1000;

    private final long number;
    private final FdpassSocket socket;
    private final PeerCredentials peer;
    private final MethodTable methods;
    private final ConnectionState state;
    private final EventLog log;
    private final Semaphore slots;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private int running;
    private volatile boolean draining;
    private final AtomicBoolean closed = new AtomicBoolean();

    public ClientSession(long number, FdpassSocket socket, PeerCredentials peer, MethodTable methods,
                         ConnectionState state, EventLog log, int maxRequests) {
        this.number = number;
        this.socket = socket;
        this.peer = peer;
        this.methods = methods;
        this.state = state;
        this.log = log;
        this.slots = new Semaphore(maxRequests);
    }

    /**
     * Answers a peer that may not be served with exactly one error (id null, as nothing was read) and closes the
     * connection (api-contract §2: a refused peer gets -32005 and is closed).
     */
    public static void refuse(FdpassSocket socket, int code, String message) {
        try (socket) {
            socket.sender().send(JsonRpcCodec.encode(Response.failure(NullNode.getInstance(),
                    new RpcError(code, message))), List.of());
        } catch (IOException e) {
            // The peer is gone already; nothing more to tell it.
        }
    }

    /** Reads and serves until the peer closes, a fatal protocol error, or {@link #close()}. Call once. */
    public void run() {
        String end = "peer closed";
        try {
            while (true) {
                var frame = socket.receiver().receive();
                if (frame.isEmpty()) {
                    // A peer that half-closed still gets the answers to what it asked.
                    awaitIdle(null);
                    break;
                }
                dispatch(frame.get());
            }
        } catch (FdpassException e) {
            end = "protocol error: " + e.getMessage();
            sendFatalNotice(e);
        } catch (IOException e) {
            end = closed.get() ? "closed by server" : "connection failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            end = "interrupted";
        } finally {
            close();
            log.log("disconnect", "conn", number, "uid", peer.uid(), "pid", peer.pid(), "reason", end);
        }
    }

    private void dispatch(FdpassFrame frame) throws InterruptedException {
        JsonRpcMessage message;
        try {
            message = JsonRpcCodec.decode(frame);
        } catch (InvalidMessageException e) {
            if (e.answerable()) {
                // JSON-RPC 2.0 §5.1: Invalid Request, id as received if it could be read, else null.
                send(Response.failure(e.id(), new RpcError(ErrorCodes.INVALID_REQUEST, e.getMessage())));
            }
            return;
        }
        switch (message) {
            case Request request -> start(request);
            // This server has no notification methods and calls no client methods: fds closed at once.
            case Notification notification -> notification.close();
            case Response response -> response.close();
        }
    }

    private void start(Request request) throws InterruptedException {
        // No method of this server takes fds: whatever a client sends is closed at once, before any waiting.
        request.close();
        if (draining) {
            send(Response.failure(request.id(), new RpcError(ErrorCodes.INTERNAL_ERROR, request.method()
                    + ": layerfd is shutting down; connect again to the next instance")));
            return;
        }
        slots.acquire();
        lock.lock();
        try {
            running++;
        } finally {
            lock.unlock();
        }
        Thread.ofVirtual().name("layerfd-" + number + "-" + request.method()).start(() -> {
            try {
                serve(request);
            } finally {
                lock.lock();
                try {
                    running--;
                    idle.signalAll();
                } finally {
                    lock.unlock();
                }
                slots.release();
            }
        });
    }

    /** Runs the handler, sends its response (handing the fds over), then lets the request's scope clean up. */
    private void serve(Request request) {
        long startNanos = System.nanoTime();
        String method = request.method();
        RequestScope scope = new RequestScope();
        // MethodTable.process closes the request and every fd it carried before returning (fds sent to the server
        // are never kept).
        Response response = scope.run(() -> methods.process(request));
        if (response.isError()) {
            // An error carries no fds: whatever the request held is free before the client can see the answer.
            scope.responseDone();
        }
        int fds = response.fds().size();
        String outcome = response.isError() ? "error" : "ok";
        try {
            socket.sender().send(JsonRpcCodec.encode(response), response.takeFds());
        } catch (MessageTooLargeException e) {
            fds = 0;
            outcome = "error";
            response = Response.failure(response.id(), new RpcError(ErrorCodes.RESOURCE_LIMIT_REACHED,
                    method + ": response too large: " + e.getMessage()));
            send(response);
        } catch (IOException e) {
            fds = 0;
            outcome = "send-failed";
        } finally {
            response.close();
            scope.responseDone();
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        if (response.isError()) {
            log.log("request", "conn", number, "uid", peer.uid(), "pid", peer.pid(), "method", method,
                    "id", response.id(), "ms", millis, "fds", fds, "outcome", outcome, "code", response.error().code(),
                    "message", response.error().message());
        } else {
            log.log("request", "conn", number, "uid", peer.uid(), "pid", peer.pid(), "method", method,
                    "id", response.id(), "ms", millis, "fds", fds, "outcome", outcome);
        }
    }

    private void send(Response response) {
        try {
            socket.sender().send(JsonRpcCodec.encode(response), response.takeFds());
        } catch (IOException e) {
            // The reader sees the broken connection and ends the session.
        }
    }

    /** jsonrpc-fdpass README §7 says only "close"; the peer is first told why, bounded in time. */
    private void sendFatalNotice(FdpassException e) {
        Thread notice = Thread.ofVirtual().start(() -> send(Response.failure(NullNode.getInstance(),
                new RpcError(ErrorCodes.FILE_DESCRIPTOR_ERROR, e.getMessage()))));
        try {
            notice.join(FATAL_NOTICE_MILLIS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops serving new requests (they are answered with an error); running ones finish. */
    public void drain() {
        draining = true;
    }

    /** Waits until no request of this connection is running, at most {@code timeout} (null: no limit). */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (running > 0) {
                if (timeout == null) {
                    idle.await();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    idle.awaitNanos(left);
                }
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the socket (a running response's send then fails and its fds are closed) and every windowed stream.
     * Idempotent.
     */
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing is best effort; the descriptors are released either way.
            }
            state.close();
        }
    }
}
