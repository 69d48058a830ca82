package layerfd.client.apply;

/** Hears how an image extraction advances; every method defaults to doing nothing. Called on the extracting thread. */
public interface ExtractProgress {
    /** Hears nothing. */
    ExtractProgress NONE = new ExtractProgress() {
    };

    /** Layer {@code index} (0-based, base first) of {@code count} is about to be applied. */
    default void layerStarted(int index, int count, String name) {
    }

    /** {@code tarBytes} of layer {@code index}'s tar (external file contents included) have been applied. */
    default void bytesApplied(int index, long tarBytes) {
    }

    /** Layer {@code index} is in place. */
    default void layerFinished(int index, int count, ApplyStatistics statistics) {
    }
}
