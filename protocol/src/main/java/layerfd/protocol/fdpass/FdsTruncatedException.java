package layerfd.protocol.fdpass;

/**
 * recvmsg(2) reported MSG_CTRUNC: the kernel dropped fds that did not fit the ancillary receive buffer (or could
 * not be installed, e.g. at RLIMIT_NOFILE). Fds were lost, so no later message can be matched to its fds.
 */
public final class FdsTruncatedException extends FdpassException {
    private static final long serialVersionUID = 1L;

    public FdsTruncatedException(int ancillaryReceiveBytes) {
        super("fds were truncated (MSG_CTRUNC): the peer sent more fds in one sendmsg than the "
                + ancillaryReceiveBytes + "-byte ancillary receive buffer holds, or this process is out of fds");
    }
}
