package layerfd.server.stream;

import java.io.IOException;
import layerfd.linux.OwnedFd;
import layerfd.server.tarsplit.TarSplitEntry;

/**
 * Where {@link SplitFdStreamBuilder} puts each file it makes external, in stream order: the first one added is
 * external index 0, the next 1, and so on (splitfdstream brief §1.1: producers emit 0, 1, 2, … one per file).
 */
public sealed interface ExternalFiles permits HeldFiles, NamedFiles {
    /**
     * Records the next external file and returns its index. {@code content} is the walker's descriptor, checked to be
     * a regular file of exactly {@code entry.size()} bytes; an implementation that keeps it takes it with
     * {@link OwnedFd#release()}, otherwise the walker closes it.
     *
     * @throws LimitExceededException one more file would pass a configured limit
     */
    int add(TarSplitEntry.FileEntry entry, OwnedFd content) throws IOException;

    /** How many files were added. */
    int count();
}
