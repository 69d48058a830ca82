package layerfd.server.stream;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import layerfd.linux.FileIo;
import layerfd.linux.OwnedFd;
import layerfd.server.tarsplit.LayerFileOpener;
import layerfd.server.tarsplit.TarSplitEntry;
import layerfd.server.tarsplit.TarSplitIntegrityException;

/**
 * External files remembered by name and size only, for the windowed stream: nothing stays open between requests, and
 * {@link #open} opens a file fresh when the client asks for its window (api-contract §3.3: each fd is opened for the
 * request). Memory is one name per file, so a 100,000-file layer costs a few MiB and no descriptors.
 */
public final class NamedFiles implements ExternalFiles {
    private final List<TarSplitEntry.FileEntry> entries = new ArrayList<>();

    @Override
    public int add(TarSplitEntry.FileEntry entry, OwnedFd content) {
        entries.add(Objects.requireNonNull(entry, "entry"));
        return entries.size() - 1;
    }

    @Override
    public int count() {
        return entries.size();
    }

    /** The tar-split names of external files {@code start .. start+count-1}, for an opener to fetch ahead. */
    public List<byte[]> names(int start, int count) {
        return entries.subList(start, start + count).stream().map(TarSplitEntry.FileEntry::name).toList();
    }

    /**
     * Opens external file {@code index} read-only beneath the layer's directories and checks it still has the size
     * tar-split records (the file may have changed since the stream was built).
     */
    public OwnedFd open(int index, LayerFileOpener opener) throws IOException {
        TarSplitEntry.FileEntry entry = entries.get(index);
        OwnedFd fd = opener.open(entry.name());
        try {
            long size = FileIo.stat(fd.get()).size();
            if (size != entry.size()) {
                throw new TarSplitIntegrityException("layer file " + entry.printableName() + " (external index "
                        + index + ") now has " + size + " bytes, but tar-split says " + entry.size());
            }
            return fd;
        } catch (IOException | RuntimeException e) {
            fd.close();
            throw e;
        }
    }
}
