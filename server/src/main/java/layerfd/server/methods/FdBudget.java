package layerfd.server.methods;

import java.util.concurrent.atomic.AtomicInteger;
import layerfd.server.stream.FdReservation;

/** A connection's descriptors opened for responses and not sent yet, bounded (ServerLimits). Thread-safe. */
final class FdBudget implements FdReservation {
    private final int limit;
    private final AtomicInteger used = new AtomicInteger();

    FdBudget(int limit) {
        this.limit = limit;
    }

    @Override
    public boolean tryReserve(int count) {
        while (true) {
            int now = used.get();
            if (count > limit - now) {
                return false;
            }
            if (used.compareAndSet(now, now + count)) {
                return true;
            }
        }
    }

    @Override
    public void release(int count) {
        int after = used.addAndGet(-count);
        if (after < 0) {
            throw new IllegalStateException("fd budget released more than reserved (" + after + ")");
        }
    }

    int inUse() {
        return used.get();
    }

    @Override
    public String describe() {
        return limit + " fds in flight per connection";
    }
}
