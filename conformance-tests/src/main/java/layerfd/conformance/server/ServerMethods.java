package layerfd.conformance.server;

/** The wire names the server suite calls (api-contract §3.1 and §3.2; exact, consumers depend on them). */
public final class ServerMethods {
    /** container-libs: {@code {"imageId"}} -> {@code {"manifest","config","layerDigests"}}. */
    public static final String GET_IMAGE = "GetImage";
    /** container-libs: {@code {"layerId"}} -> {@code {"streamSize"}} + fds 1+K. */
    public static final String GET_SPLIT_FD_STREAM = "GetSplitFDStream";
    /** cstor-rs: {@code {"layer","compressed"?}} -> {@code {"mediaType"}} + fds 1+K. */
    public static final String GET_LAYER_SPLITFDSTREAM = "GetLayerSplitfdstream";
    /** The name layerfd gives the stream memfd (api-contract §3.1). */
    public static final String STREAM_MEMFD_NAME = "splitfdstream";

    private ServerMethods() {}
}
