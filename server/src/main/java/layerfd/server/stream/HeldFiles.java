package layerfd.server.stream;

import java.util.ArrayList;
import java.util.List;
import layerfd.linux.OwnedFd;
import layerfd.server.tarsplit.TarSplitEntry;

/**
 * External files kept open, for a response that carries all of them (GetSplitFDStream, GetLayerSplitfdstream). Each
 * descriptor is reserved from the connection's budget as it is taken, and refused past {@code maxFiles}, so a huge
 * layer fails fast with -32006 instead of exhausting the server's RLIMIT_NOFILE. Closing closes whatever was not
 * {@link #take() taken} and gives its reservation back.
 */
public final class HeldFiles implements ExternalFiles, AutoCloseable {
    private final String layerId;
    private final int maxFiles;
    private final FdReservation budget;
    private final List<OwnedFd> fds = new ArrayList<>();
    private boolean taken;

    /**
     * @param maxFiles the most content fds one response may carry
     * @param budget   reserved for every descriptor held
     */
    public HeldFiles(String layerId, int maxFiles, FdReservation budget) {
        this.layerId = layerId;
        this.maxFiles = maxFiles;
        this.budget = budget;
    }

    @Override
    public int add(TarSplitEntry.FileEntry entry, OwnedFd content) throws LimitExceededException {
        if (fds.size() >= maxFiles) {
            throw new LimitExceededException("layer " + layerId + " has more than " + maxFiles
                    + " external files, more than one response may carry; use OpenLayerStream to receive them in "
                    + "windows");
        }
        if (!budget.tryReserve(1)) {
            throw new LimitExceededException("layer " + layerId + ": the connection reached its limit of "
                    + budget.describe() + " after " + fds.size() + " external files; wait for earlier responses or "
                    + "use OpenLayerStream");
        }
        fds.add(OwnedFd.adopt(content.release()));
        return fds.size() - 1;
    }

    @Override
    public int count() {
        return fds.size();
    }

    /**
     * Hands every descriptor over in index order, with its reservation: the caller gives the reservation back once
     * they are sent (or closed).
     */
    public List<OwnedFd> take() {
        taken = true;
        return List.copyOf(fds);
    }

    @Override
    public void close() {
        if (!taken) {
            fds.forEach(OwnedFd::close);
            budget.release(fds.size());
            taken = true;
        }
    }
}
