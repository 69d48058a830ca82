package layerfd.server.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every stream a fault test asked for, by outcome: completed byte-exact, failed with the server's reason (code and
 * message), or corrupt (completed but not the layer's bytes: always a defect). Thread-safe.
 */
final class StreamTally {
    private int completed;
    private final Map<String, Integer> failures = new TreeMap<>();
    private final List<String> corrupt = new ArrayList<>();

    synchronized void completed() {
        completed++;
    }

    /** A stream that did not complete; {@code reason} must say why (the JSON-RPC code and message, or the I/O error). */
    synchronized void failed(String reason) {
        failures.merge(reason, 1, Integer::sum);
    }

    synchronized void corrupt(String what) {
        corrupt.add(what);
    }

    synchronized int completedCount() {
        return completed;
    }

    synchronized int failedCount() {
        return failures.values().stream().mapToInt(Integer::intValue).sum();
    }

    synchronized Map<String, Integer> failures() {
        return Map.copyOf(failures);
    }

    synchronized List<String> corruptStreams() {
        return List.copyOf(corrupt);
    }

    /** One line for the test's output and docs/faults.md. */
    @Override
    public synchronized String toString() {
        return "completed=" + completed + " failed=" + failedCount() + " corrupt=" + corrupt.size()
                + " reasons=" + failures;
    }
}
