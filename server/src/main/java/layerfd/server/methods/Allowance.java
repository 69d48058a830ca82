package layerfd.server.methods;

import java.time.Duration;

/**
 * A count bounded by a limit (a connection's stream slots, its fds in flight), taken and given back by concurrent
 * requests. {@link #take} may wait a little: what a request holds is given back only once its response has been
 * sent, an instant after the client can already see that response and send its next request.
 */
final class Allowance {
    private final int limit;
    private int used;

    Allowance(int limit) {
        this.limit = limit;
    }

    /** Takes {@code count} now; false (nothing taken) when that would pass the limit. */
    synchronized boolean tryTake(int count) {
        if (count > limit - used) {
            return false;
        }
        used += count;
        return true;
    }

    /** Takes {@code count}, waiting up to {@code patience} for others to give back; false when it could not. */
    synchronized boolean take(int count, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (count > limit - used) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        used += count;
        return true;
    }

    synchronized void give(int count) {
        used -= count;
        if (used < 0) {
            throw new IllegalStateException("gave back more than was taken (" + used + ")");
        }
        notifyAll();
    }

    synchronized int inUse() {
        return used;
    }

    int limit() {
        return limit;
    }
}
