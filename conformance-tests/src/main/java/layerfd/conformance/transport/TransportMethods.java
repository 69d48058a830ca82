package layerfd.conformance.transport;

/**
 * The methods the transport suite calls. The first three are those of the upstream Go module's example echo server
 * (examples/echo); {@code fdCount} and {@code echoFds} are what the reference peers and layerfd's test peer add,
 * and a peer without them gets those checks SKIPped.
 */
public final class TransportMethods {
    /** Returns its params unchanged. */
    public static final String ECHO = "echo";
    /** Exactly 1 fd in; returns the file's whole content as a string. */
    public static final String READ_FILE = "readFile";
    /** Returns 1 fd, the read end of a pipe holding a text, its write end closed. */
    public static final String CREATE_PIPE = "createPipe";
    /** N fds in; returns {@code {"count": N, "contents": [first bytes of each fd]}}. */
    public static final String FD_COUNT = "fdCount";
    /** N fds in; returns {@code {"count": N}} and the same N files, in order. */
    public static final String ECHO_FDS = "echoFds";
    /** Notification that stops the peer's server (Rust/Go clients send it with --shutdown). */
    public static final String SHUTDOWN = "shutdown";
    /** How many bytes of each fd {@code fdCount} returns. */
    public static final int FD_COUNT_PREFIX_BYTES = 64;
    /** The text the upstream example server writes into its pipe (its result carries no text). */
    public static final String UPSTREAM_EXAMPLE_PIPE_TEXT = "Data from server pipe";

    private TransportMethods() {}
}
