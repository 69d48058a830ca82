package layerfd.protocol;

import java.util.List;

/**
 * The method names, parameter keys and result keys of the layerfd service (api-contract.md §3), shared by the server
 * and every client so the spelling lives in one place. Names of the compatible methods are exactly upstream's:
 * existing consumers depend on them.
 */
public final class Methods {
    /** container-libs PR 651: image metadata. */
    public static final String GET_IMAGE = "GetImage";
    /** container-libs PR 651: one layer as a splitfdstream, 1+K fds in one response. */
    public static final String GET_SPLIT_FD_STREAM = "GetSplitFDStream";
    /** cstor-rs: one layer as a splitfdstream, 1+K fds in one response. */
    public static final String GET_LAYER_SPLITFDSTREAM = "GetLayerSplitfdstream";
    public static final String INITIALIZE = "Initialize";
    public static final String LIST_IMAGES = "ListImages";
    public static final String INSPECT_IMAGE = "InspectImage";
    /** The windowed layer stream: the memfd now, the content fds later in windows the client sizes. */
    public static final String OPEN_LAYER_STREAM = "OpenLayerStream";
    public static final String READ_LAYER_FILES = "ReadLayerFiles";
    public static final String CLOSE_LAYER_STREAM = "CloseLayerStream";

    /** Every method the server answers, in the order {@code Initialize.features} lists them. */
    public static final List<String> ALL = List.of(INITIALIZE, LIST_IMAGES, INSPECT_IMAGE, GET_IMAGE,
            GET_SPLIT_FD_STREAM, GET_LAYER_SPLITFDSTREAM, OPEN_LAYER_STREAM, READ_LAYER_FILES, CLOSE_LAYER_STREAM);

    /** The protocol version {@code Initialize} reports. */
    public static final int PROTOCOL_VERSION = 1;

    /** Parameter keys. */
    public static final class Params {
        public static final String IMAGE_ID = "imageId";
        public static final String LAYER_ID = "layerId";
        public static final String PARENT_ID = "parentId";
        public static final String LAYER = "layer";
        public static final String COMPRESSED = "compressed";
        public static final String IMAGE = "image";
        public static final String MAX_FDS = "maxFds";
        public static final String STREAM = "stream";
        public static final String START = "start";
        public static final String COUNT = "count";

        private Params() {}
    }

    /** Result keys. */
    public static final class Results {
        public static final String MANIFEST = "manifest";
        public static final String CONFIG = "config";
        public static final String LAYER_DIGESTS = "layerDigests";
        public static final String STREAM_SIZE = "streamSize";
        public static final String MEDIA_TYPE = "mediaType";
        public static final String VERSION = "version";
        public static final String PROTOCOL_VERSION = "protocolVersion";
        public static final String FEATURES = "features";
        public static final String STORE = "store";
        public static final String GRAPH_ROOT = "graphRoot";
        public static final String RUN_ROOT = "runRoot";
        public static final String DRIVER = "driver";
        public static final String ROOTLESS = "rootless";
        public static final String HELPER = "helper";
        public static final String IMAGES = "images";
        public static final String ID = "id";
        public static final String NAMES = "names";
        public static final String DIGEST = "digest";
        public static final String TOP_LAYER = "topLayer";
        public static final String CREATED = "created";
        public static final String CONFIG_DIGEST = "configDigest";
        public static final String LAYERS = "layers";
        public static final String PARENT = "parent";
        public static final String DIFF_DIGEST = "diffDigest";
        public static final String DIFF_SIZE = "diffSize";
        public static final String STREAM = "stream";
        public static final String FILES = "files";
        public static final String MAX_FDS = "maxFds";
        public static final String START = "start";
        public static final String COUNT = "count";
        public static final String CLOSED = "closed";

        private Results() {}
    }

    private Methods() {}
}
