package layerfd.server.stream;

/** A budget of descriptors a request may hold before they are sent (a connection's fds in flight). */
public interface FdReservation {
    /** Takes {@code count} from the budget; false (and nothing taken) when that would pass its limit. */
    boolean tryReserve(int count);

    /** Gives back {@code count}. */
    void release(int count);

    /** A description of the budget for error messages, e.g. "65536 fds in flight per connection". */
    String describe();
}
