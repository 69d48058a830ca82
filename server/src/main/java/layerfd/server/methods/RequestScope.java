package layerfd.server.methods;

import java.util.ArrayList;
import java.util.List;

/**
 * What one request leaves to be done once its response has been sent (or could not be): give back the fd
 * reservation, let the next window of a stream be asked for. A handler reaches the scope of the request it serves
 * through {@link #current()}; the connection binds it around the handler call and runs the actions after the send,
 * because only then have the response's fds left the server.
 */
public final class RequestScope {
    private static final ScopedValue<RequestScope> CURRENT = ScopedValue.newInstance();
    private final List<Runnable> afterSend = new ArrayList<>();

    /** Runs {@code handler} with this scope bound. */
    public <T> T run(ScopedValue.CallableOp<T, RuntimeException> handler) {
        return ScopedValue.where(CURRENT, this).call(handler);
    }

    /** The scope of the request being handled on this thread. */
    static RequestScope current() {
        if (!CURRENT.isBound()) {
            throw new IllegalStateException("no request is being handled on this thread");
        }
        return CURRENT.get();
    }

    /** Registers {@code action} to run after the response was sent or dropped. */
    synchronized void afterSend(Runnable action) {
        afterSend.add(action);
    }

    /** Runs every registered action once, in registration order. */
    public void responseDone() {
        List<Runnable> actions;
        synchronized (this) {
            actions = List.copyOf(afterSend);
            afterSend.clear();
        }
        actions.forEach(Runnable::run);
    }
}
