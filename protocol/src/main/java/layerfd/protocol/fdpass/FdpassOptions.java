package layerfd.protocol.fdpass;

/**
 * Limits of one jsonrpc-fdpass connection.
 *
 * @param maxMessageBytes longest JSON message accepted or sent; the spec sets none, an unbounded buffer is a DoS
 * @param maxFdsPerSendmsg fds per sendmsg(2) before batching starts (spec README §4.1 SHOULD 200-500); 8 for the
 *     old Go peer vendored in container-libs, which receives at most 8 fds per recvmsg (brief §6)
 * @param ancillaryReceiveBytes control-message buffer of each recvmsg(2); must hold the largest batch a peer sends
 *     (CMSG_SPACE(4 * 253) = 1032 bytes for SCM_MAX_FD), or the kernel truncates (MSG_CTRUNC)
 */
public record FdpassOptions(int maxMessageBytes, int maxFdsPerSendmsg, int ancillaryReceiveBytes) {
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    /** Linux SCM_MAX_FD: 253 fds per sendmsg succeed, 254 give EINVAL. */
    public static final int DEFAULT_MAX_FDS_PER_SENDMSG = 253;
    /** Room for 2044 fds, far above SCM_MAX_FD, as measured in java-platform.md §2.3. */
    public static final int DEFAULT_ANCILLARY_RECEIVE_BYTES = 8 * 1024;
    /** sizeof(struct cmsghdr) on 64-bit Linux: a buffer of exactly this size holds the header and no fd. */
    public static final int MIN_ANCILLARY_RECEIVE_BYTES = 16;
    /** A message is at least "{}". */
    public static final int MIN_MESSAGE_BYTES = 2;

    public FdpassOptions {
        if (maxMessageBytes < MIN_MESSAGE_BYTES) {
            throw new IllegalArgumentException("maxMessageBytes must be at least " + MIN_MESSAGE_BYTES + ", got "
                    + maxMessageBytes);
        }
        if (maxFdsPerSendmsg < 1) {
            throw new IllegalArgumentException("maxFdsPerSendmsg must be at least 1, got " + maxFdsPerSendmsg);
        }
        if (ancillaryReceiveBytes < MIN_ANCILLARY_RECEIVE_BYTES) {
            throw new IllegalArgumentException("ancillaryReceiveBytes must be at least " + MIN_ANCILLARY_RECEIVE_BYTES
                    + ", got " + ancillaryReceiveBytes);
        }
    }

    public static FdpassOptions defaults() {
        return new FdpassOptions(DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_FDS_PER_SENDMSG,
                DEFAULT_ANCILLARY_RECEIVE_BYTES);
    }

    public FdpassOptions withMaxMessageBytes(int bytes) {
        return new FdpassOptions(bytes, maxFdsPerSendmsg, ancillaryReceiveBytes);
    }

    public FdpassOptions withMaxFdsPerSendmsg(int fds) {
        return new FdpassOptions(maxMessageBytes, fds, ancillaryReceiveBytes);
    }

    public FdpassOptions withAncillaryReceiveBytes(int bytes) {
        return new FdpassOptions(maxMessageBytes, maxFdsPerSendmsg, bytes);
    }
}
