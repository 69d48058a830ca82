package layerfd.client.internal;

import java.io.IOException;
import layerfd.linux.OwnedFd;

/**
 * The content files of one layer stream, by external index (splitfdstream §1.1: index N is fd-array position N+1).
 * {@link #borrow} lends an fd that stays owned here: valid until the next {@code borrow} or {@link #close()}.
 */
public interface ContentFds extends AutoCloseable {
    int count();

    OwnedFd borrow(int index) throws IOException;

    @Override
    void close();
}
