package layerfd.client;

/** The method names the client calls (api-contract.md §3). */
final class WireNames {
    static final String INITIALIZE = "Initialize";
    static final String LIST_IMAGES = "ListImages";
    static final String INSPECT_IMAGE = "InspectImage";
    static final String GET_SPLIT_FD_STREAM = "GetSplitFDStream";

    private WireNames() {}
}
