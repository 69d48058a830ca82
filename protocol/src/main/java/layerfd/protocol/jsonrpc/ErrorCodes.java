package layerfd.protocol.jsonrpc;

/** Every JSON-RPC error code layerfd uses (api-contract §3.5); no handler writes a code as a literal. */
public final class ErrorCodes {
    /** JSON-RPC 2.0. Not sent by layerfd: a syntax error is a fatal framing error (see FILE_DESCRIPTOR_ERROR). */
    public static final int PARSE_ERROR = -32700;
    /** JSON-RPC 2.0: the object is not a valid request. The connection stays open. */
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;
    /** jsonrpc-fdpass README §7: framing or fd-count error; sent once with id null just before the connection closes. */
    public static final int FILE_DESCRIPTOR_ERROR = -32050;

    public static final int LAYER_NOT_FOUND = -32000;
    public static final int IMAGE_NOT_FOUND = -32001;
    public static final int FILE_MISSING_FROM_LAYER = -32002;
    /** I/O or integrity error, e.g. a CRC-64 mismatch against tar-split. */
    public static final int IO_ERROR = -32003;
    public static final int AMBIGUOUS_ID_PREFIX = -32004;
    public static final int PEER_NOT_ALLOWED = -32005;
    /** A resource limit was reached (e.g. a response larger than the message size limit). */
    public static final int RESOURCE_LIMIT_REACHED = -32006;
    /** The layer cannot be streamed byte-exact (incomplete, a container layer, no tar-split). */
    public static final int LAYER_NOT_BYTE_EXACT = -32007;

    private ErrorCodes() {}
}
