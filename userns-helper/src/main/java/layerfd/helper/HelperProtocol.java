package layerfd.helper;

/**
 * The wire contract between the server and the userns helper (jsonrpc-fdpass over the helper's stdin socket;
 * docs/rootless.md has examples).
 *
 * <p>{@value #OPEN_LAYER_FILES}: params {@code {"directories": [absolute content directories, nearest first],
 * "names": [base64 of clean relative names]}}; result {@code {"results": [...]}}, one entry per name in order:
 * {@code {"fd": k}} (the k-th fd of the response) or {@code {"error": "missing"|"refused"|"failed", "message": m}}.
 * Each name is tried in each directory in order, like the overlay lower chain; a name missing everywhere is
 * "missing", one that is a symlink, leaves its directory or is not a regular file is "refused" and ends the
 * search. A directory that is not a layer content directory beneath a graph root the helper was started with
 * refuses the whole request (-32602).
 *
 * <p>{@value #HELLO}: no params; result {@code {"pid": n}}, the helper's process id, once it is ready.
 */
public final class HelperProtocol {
    public static final String OPEN_LAYER_FILES = "OpenLayerFiles";
    public static final String HELLO = "Hello";

    /** Names per OpenLayerFiles request: 1024 fds travel in 5 sendmsg batches of 253 (README §4.1). */
    public static final int MAX_NAMES_PER_REQUEST = 1024;
    /** Directories per request: more than overlay's 500-layer lower chain limit. */
    public static final int MAX_DIRECTORIES_PER_REQUEST = 1024;

    public static final String DIRECTORIES = "directories";
    public static final String NAMES = "names";
    public static final String RESULTS = "results";
    public static final String FD = "fd";
    public static final String ERROR = "error";
    public static final String MESSAGE = "message";
    public static final String PID = "pid";

    public static final String MISSING = "missing";
    public static final String REFUSED = "refused";
    public static final String FAILED = "failed";

    /** The helper's command-line option naming a graph root it serves (repeatable). */
    public static final String GRAPH_ROOT_OPTION = "--graphroot";

    private HelperProtocol() {}
}
