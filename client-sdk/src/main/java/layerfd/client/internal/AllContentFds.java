package layerfd.client.internal;

import java.io.IOException;
import java.util.List;
import layerfd.linux.OwnedFd;

/** All K content fds at hand, as GetSplitFDStream delivers them in one response. */
public final class AllContentFds implements ContentFds {
    private final List<OwnedFd> fds;

    public AllContentFds(List<OwnedFd> fds) {
        this.fds = List.copyOf(fds);
    }

    @Override
    public int count() {
        return fds.size();
    }

    @Override
    public OwnedFd borrow(int index) throws IOException {
        if (index < 0 || index >= fds.size()) {
            throw new IOException("the stream refers to content file " + index + " but the server sent "
                    + fds.size());
        }
        return fds.get(index);
    }

    @Override
    public void close() {
        fds.forEach(OwnedFd::close);
    }
}
