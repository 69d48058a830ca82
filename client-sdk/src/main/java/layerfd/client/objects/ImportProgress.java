package layerfd.client.objects;

/** Hears how an import advances; called on the importing thread. */
public interface ImportProgress {
    /** Does nothing. */
    ImportProgress NONE = new ImportProgress() { };

    /** Layer {@code index} (0 = base) of {@code count} is being read. */
    default void layerStarted(int index, int count, String name) {
    }

    /** {@code tarBytes} of layer {@code index} are done (external file contents included). */
    default void bytesRead(int index, long tarBytes) {
    }

    /** Layer {@code index} is done. */
    default void layerFinished(int index, int count) {
    }
}
