package layerfd.conformance.server.internal;

import static layerfd.conformance.server.ServerMethods.GET_IMAGE;
import static layerfd.conformance.server.ServerMethods.GET_LAYER_SPLITFDSTREAM;
import static layerfd.conformance.server.ServerMethods.GET_SPLIT_FD_STREAM;
import static layerfd.conformance.server.ServerMethods.STREAM_MEMFD_NAME;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import layerfd.conformance.internal.PeerConnection;
import layerfd.conformance.report.CheckFailed;
import layerfd.conformance.report.CheckSkipped;
import layerfd.conformance.server.Expectations;
import layerfd.conformance.server.ExpectedLayer;
import layerfd.conformance.server.ServerOptions;
import layerfd.linux.Fcntl;
import layerfd.protocol.jsonrpc.ErrorCodes;
import layerfd.protocol.jsonrpc.Response;
import layerfd.protocol.splitfdstream.SplitFdStreamFormat;

/**
 * The server suite's checks. Later checks use what earlier ones learnt (the image's layers, the expected digests,
 * each layer's stream); when that is missing they FAIL saying which earlier check it depends on.
 */
public final class ServerChecks {
    /** F_GET_SEALS bits a sealed-against-writes stream must show (api-contract §3.1). */
    static final int REQUIRED_SEALS = Fcntl.F_SEAL_WRITE | Fcntl.F_SEAL_SHRINK | Fcntl.F_SEAL_GROW;
    /** A layer id no store holds: 64 hex digits, all zero. */
    static final String UNKNOWN_LAYER_ID = "0".repeat(64);
    static final String UNKNOWN_IMAGE = "localhost/layerfd-conformance/no-such-image:0";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ServerOptions options;
    private ImageAnswer image;
    private Expectations expectations;
    private final Map<String, StreamFacts> streams = new HashMap<>();

    public ServerChecks(ServerOptions options) {
        this.options = options;
    }

    /** The layers GetImage named, top first; empty until {@link #getImage()} passed. */
    public List<String> layers() {
        return image == null ? List.of() : image.layerDigests();
    }

    public void getImage() throws Exception {
        try (PeerConnection peer = connect();
                Response response = peer.callForResult(GET_IMAGE, JSON.objectNode().put("imageId", options.image()),
                        List.of())) {
            JsonNode r = response.result();
            CheckFailed.unless(r.path("manifest").isTextual(), "manifest is not a string: " + r.path("manifest"));
            CheckFailed.unless(r.path("config").isTextual(), "config is not a string: " + r.path("config"));
            JsonNode digests = r.path("layerDigests");
            CheckFailed.unless(digests.isArray() && !digests.isEmpty(), "layerDigests is no non-empty array");
            List<String> layers = new ArrayList<>();
            for (JsonNode d : digests) {
                CheckFailed.unless(d.isTextual(), "layerDigests holds a non-string: " + d);
                layers.add(d.asText());
            }
            CheckFailed.unlessEqual(0, response.fds().size(), "fds with GetImage");
            image = new ImageAnswer(r.get("manifest").asText(), r.get("config").asText(), layers);
        }
    }

    /** Every layer has an expected digest; where the source knows the chain, layerDigests is it, top first. */
    public void expectedDigests() throws Exception {
        requireImage();
        expectations = ExpectationLoader.load(options.expectations(), options.image(), image.config(),
                image.layerDigests());
        List<String> missing = new ArrayList<>(image.layerDigests());
        missing.removeAll(expectations.layers().keySet());
        CheckFailed.unless(missing.isEmpty(), expectations.source() + " has no digest for layer(s) " + missing);
        if (expectations.chainTopFirst().isPresent()) {
            CheckFailed.unlessEqual(expectations.chainTopFirst().get(), image.layerDigests(),
                    "layerDigests (top layer first) against " + expectations.source());
        }
    }

    /** GetSplitFDStream: fds 1+K, stream memfd at offset 0 of streamSize bytes, every content fd used, byte-exact. */
    public void getSplitFdStream(String layer) throws Exception {
        StreamFacts facts;
        try (PeerConnection peer = connect()) {
            facts = LayerProbe.probe(peer, GET_SPLIT_FD_STREAM, JSON.objectNode().put("layerId", layer));
        }
        streams.put(layer, facts);
        requireStreamFd(facts);
        JsonNode size = facts.result().path("streamSize");
        CheckFailed.unless(size.isIntegralNumber(), "streamSize is not an integer: " + size);
        CheckFailed.unlessEqual(facts.streamFileSize(), size.asLong(), "streamSize against the stream fd's size");
        requireExpectedBytes(layer, facts);
    }

    /** fds[0] sealed against writes, shrinking and growing (layerfd's contract; upstream servers may not seal). */
    public void streamSealed(String layer) throws Exception {
        StreamFacts facts = streamOf(layer);
        if ((facts.streamSeals() & REQUIRED_SEALS) != REQUIRED_SEALS) {
            lenientOrFail("not sealed: F_GET_SEALS is 0x" + Integer.toHexString(facts.streamSeals())
                    + ", needs WRITE|SHRINK|GROW (0x" + Integer.toHexString(REQUIRED_SEALS) + ")");
        }
    }

    /** Content fds O_RDONLY (api-contract §3.3: each opened fresh, read-only). */
    public void contentFdsReadOnly(String layer) throws Exception {
        StreamFacts facts = streamOf(layer);
        if (!facts.writableContentFds().isEmpty()) {
            lenientOrFail("content fds at positions " + facts.writableContentFds() + " are writable");
        }
    }

    /** GetLayerSplitfdstream: the media type, and the same bytes as GetSplitFDStream and the expected digest. */
    public void getLayerSplitfdstream(String layer) throws Exception {
        StreamFacts facts;
        try (PeerConnection peer = connect()) {
            facts = LayerProbe.probe(peer, GET_LAYER_SPLITFDSTREAM, JSON.objectNode().put("layer", layer));
        }
        CheckFailed.unlessEqual(SplitFdStreamFormat.MEDIA_TYPE, facts.result().path("mediaType").asText(null),
                "mediaType");
        requireStreamFd(facts);
        requireExpectedBytes(layer, facts);
    }

    /** {@code compressed: true} is refused with -32602: nothing is compressed (api-contract §3.2). */
    public void compressedRefused() throws Exception {
        String layer = firstLayer();
        ObjectNode params = JSON.objectNode().put("layer", layer).put("compressed", true);
        expectError(GET_LAYER_SPLITFDSTREAM, params, ErrorCodes.INVALID_PARAMS);
    }

    /** An unknown layer is -32000 from both stream methods. */
    public void unknownLayer() throws Exception {
        expectError(GET_SPLIT_FD_STREAM, JSON.objectNode().put("layerId", UNKNOWN_LAYER_ID), ErrorCodes.LAYER_NOT_FOUND);
        expectError(GET_LAYER_SPLITFDSTREAM, JSON.objectNode().put("layer", UNKNOWN_LAYER_ID),
                ErrorCodes.LAYER_NOT_FOUND);
    }

    /** An unknown image is -32001. */
    public void unknownImage() throws Exception {
        expectError(GET_IMAGE, JSON.objectNode().put("imageId", UNKNOWN_IMAGE), ErrorCodes.IMAGE_NOT_FOUND);
    }

    private void expectError(String method, ObjectNode params, int code) throws Exception {
        try (PeerConnection peer = connect(); Response response = peer.call(method, params, List.of())) {
            CheckFailed.unless(response.isError(), method + " " + params + " answered a result, expected error "
                    + code);
            CheckFailed.unless(response.error().code() == code, method + " " + params + ": expected error " + code
                    + ", got " + response.error().code() + ": " + response.error().message());
            CheckFailed.unlessEqual(0, response.fds().size(), "fds with the error");
        }
    }

    private static void requireStreamFd(StreamFacts facts) throws CheckFailed {
        CheckFailed.unless(STREAM_MEMFD_NAME.equals(facts.streamMemfdName()),
                "fds[0] is not a memfd named " + STREAM_MEMFD_NAME + ": " + facts.streamTarget());
        CheckFailed.unlessEqual(0L, facts.streamOffset(), "file offset of the stream fd");
        CheckFailed.unless(facts.unusedContentFds().isEmpty(),
                "content fds at positions " + facts.unusedContentFds() + " are named by no external chunk");
    }

    private void requireExpectedBytes(String layer, StreamFacts facts) throws CheckFailed {
        CheckFailed.unless(expectations != null, "no expected digests (see check expected_digests)");
        ExpectedLayer expected = expectations.layers().get(layer);
        CheckFailed.unless(expected != null, expectations.source() + " has no digest for layer " + layer);
        CheckFailed.unlessEqual(expected.digest(), facts.digest(), "sha256 of the reassembled tar");
        if (expected.size().isPresent()) {
            CheckFailed.unlessEqual(expected.size().getAsLong(), facts.length(), "length of the reassembled tar");
        }
    }

    private void lenientOrFail(String reason) throws CheckFailed, CheckSkipped {
        if (options.lenient()) {
            throw new CheckSkipped(reason + " (tolerated by --lenient)");
        }
        throw new CheckFailed(reason);
    }

    private StreamFacts streamOf(String layer) throws CheckFailed {
        StreamFacts facts = streams.get(layer);
        CheckFailed.unless(facts != null, "no stream to inspect: GetSplitFDStream of this layer failed");
        return facts;
    }

    private void requireImage() throws CheckFailed {
        CheckFailed.unless(image != null, "GetImage failed (see check get_image)");
    }

    private String firstLayer() throws CheckFailed {
        requireImage();
        return image.layerDigests().getFirst();
    }

    private PeerConnection connect() throws CheckFailed {
        return PeerConnection.open(options.socket(), options.fdpassOptions());
    }
}
