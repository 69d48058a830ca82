package layerfd.protocol.fuzz;

import java.util.ArrayList;
import java.util.List;
import layerfd.linux.LinuxException;
import layerfd.linux.Open;
import layerfd.linux.OwnedFd;

/**
 * Stand-ins for the fds one recvmsg(2) delivers: each is a new descriptor (a dup of /dev/null), so the fd leak
 * check sees every one that is not closed. Only the count matters to the decoders under test.
 */
final class ReceivedFds {
    /** Opened once for the whole test run, before any per-input fd snapshot is taken. */
    private static final OwnedFd DEV_NULL = open();

    private ReceivedFds() {}

    static List<OwnedFd> of(int count) throws LinuxException {
        List<OwnedFd> fds = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                fds.add(DEV_NULL.dup());
            }
        } catch (LinuxException e) {
            fds.forEach(OwnedFd::close);
            throw e;
        }
        return fds;
    }

    private static OwnedFd open() {
        try {
            return Open.open("/dev/null", Open.O_RDONLY | Open.O_CLOEXEC, 0);
        } catch (LinuxException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
