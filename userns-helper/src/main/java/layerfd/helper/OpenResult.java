package layerfd.helper;

import layerfd.linux.OwnedFd;

/** What the helper did with one name of an OpenLayerFiles request. */
public sealed interface OpenResult extends AutoCloseable {
    /** The file, read-only; the holder owns the descriptor. */
    record Opened(OwnedFd fd) implements OpenResult {
        @Override
        public void close() {
            fd.close();
        }
    }

    /** In none of the directories. */
    record Missing(String message) implements OpenResult {}

    /** A symlink, outside its directory, or not a regular file: refused and logged by the helper. */
    record Refused(String message) implements OpenResult {}

    /** open(2) failed for another reason (the message names the errno). */
    record Failed(String message) implements OpenResult {}

    /** Closes the descriptor of an {@link Opened} result; nothing for the others. */
    @Override
    default void close() {}
}
