package layerfd.server.methods;

import layerfd.server.stream.FdReservation;

/** A connection's descriptors opened for responses and not sent yet, bounded (ServerLimits). Thread-safe. */
final class FdBudget implements FdReservation {
    private final Allowance allowance;

    FdBudget(int limit) {
        this.allowance = new Allowance(limit);
    }

    /** Never waits: a stream builder reserves file by file and fails fast at the limit. */
    @Override
    public boolean tryReserve(int count) {
        return allowance.tryTake(count);
    }

    Allowance allowance() {
        return allowance;
    }

    @Override
    public void release(int count) {
        allowance.give(count);
    }

    int inUse() {
        return allowance.inUse();
    }

    @Override
    public String describe() {
        return allowance.limit() + " fds in flight per connection";
    }
}
