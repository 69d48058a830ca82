package layerfd.linux;

import java.io.IOException;

/** A system call failed; {@link #errno()} says how, the message says which call on what. */
public final class LinuxException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    public LinuxException(String call, String what, int errno) {
        super(call + "(" + what + "): " + Errno.name(errno));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
