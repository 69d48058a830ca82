package layerfd.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import layerfd.client.internal.AllContentFds;
import layerfd.client.internal.WindowedContentFds;
import layerfd.linux.OwnedFd;
import layerfd.protocol.Methods;
import layerfd.protocol.fdpass.FdpassSocket;
import layerfd.protocol.jsonrpc.JsonRpcConnection;
import layerfd.protocol.jsonrpc.MethodTable;
import layerfd.protocol.jsonrpc.Response;

/**
 * A connection to a layerfd server (api-contract.md §3). Thread-safe: calls may run concurrently and are
 * pipelined on the one connection.
 * <pre>{@code
 * try (LayerfdClient client = LayerfdClient.connect(SocketPaths.defaultSocket())) {
 *     ImageDetails image = client.inspect("localhost/app:1");
 *     for (ImageDetails.LayerInfo layer : image.layers()) {
 *         try (LayerStream stream = client.openLayer(layer.id())) {
 *             stream.writeTar(out, layer.diffDigest(), layer.diffSize());
 *         }
 *     }
 * }
 * }</pre>
 */
public final class LayerfdClient implements AutoCloseable {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private final Path socket;
    private final JsonRpcConnection connection;

    private LayerfdClient(Path socket, JsonRpcConnection connection) {
        this.socket = socket;
        this.connection = connection;
    }

    /** Connects to the server listening on {@code socket}; a missing or dead socket is a clear error. */
    public static LayerfdClient connect(Path socket) throws IOException {
        if (!Files.exists(socket)) {
            throw new NoSuchFileException(socket.toString(), null,
                    "no layerfd server socket (is `layerfd serve` running? --socket names another)");
        }
        FdpassSocket fdpass;
        try {
            fdpass = FdpassSocket.connect(socket);
        } catch (SocketException e) {
            throw new IOException("cannot connect to layerfd server at " + socket + ": " + e.getMessage(), e);
        }
        return new LayerfdClient(socket, JsonRpcConnection.start(fdpass, MethodTable.empty()));
    }

    public Path socket() {
        return socket;
    }

    public ServerInfo initialize() throws IOException {
        JsonNode r = result(call(Methods.INITIALIZE, JSON.objectNode()), Methods.INITIALIZE);
        JsonNode store = r.path("store");
        List<String> features = new ArrayList<>();
        r.path("features").forEach(f -> features.add(f.asText()));
        return new ServerInfo(r.path("version").asText(), r.path("protocolVersion").asInt(), features,
                new ServerInfo.StoreInfo(store.path("graphRoot").asText(), store.path("runRoot").asText(),
                        store.path("driver").asText(), store.path("rootless").asBoolean(),
                        store.path("helper").asBoolean()));
    }

    public List<ImageSummary> images() throws IOException {
        JsonNode r = result(call(Methods.LIST_IMAGES, JSON.objectNode()), Methods.LIST_IMAGES);
        List<ImageSummary> images = new ArrayList<>();
        for (JsonNode i : r.path("images")) {
            images.add(new ImageSummary(i.path("id").asText(), strings(i.path("names")), text(i, "digest"),
                    text(i, "topLayer"), text(i, "created")));
        }
        return images;
    }

    /** Resolves {@code image} (id, unique id prefix, name or manifest digest) and describes it. */
    public ImageDetails inspect(String image) throws IOException {
        ObjectNode params = JSON.objectNode().put("image", image);
        JsonNode r = result(call(Methods.INSPECT_IMAGE, params), Methods.INSPECT_IMAGE);
        List<ImageDetails.LayerInfo> layers = new ArrayList<>();
        for (JsonNode l : r.path("layers")) {
            layers.add(new ImageDetails.LayerInfo(l.path("id").asText(), text(l, "parent"), text(l, "diffDigest"),
                    l.path("diffSize").asLong(-1)));
        }
        return new ImageDetails(r.path("id").asText(), strings(r.path("names")), text(r, "digest"),
                text(r, "configDigest"), r.path("manifest").asText(), r.path("config").asText(), layers);
    }

    /** Streams one layer with {@code GetSplitFDStream}: all of its content fds at once (1+K in one response). */
    public LayerStream openLayer(String layerId) throws IOException {
        Response response = call(Methods.GET_SPLIT_FD_STREAM, JSON.objectNode().put("layerId", layerId));
        try (response) {
            JsonNode r = result(response, Methods.GET_SPLIT_FD_STREAM);
            List<OwnedFd> fds = takeFds(response);
            if (fds.isEmpty()) {
                throw new IOException(Methods.GET_SPLIT_FD_STREAM + " of " + layerId + " came without a stream fd");
            }
            return new LayerStream(layerId, fds.get(0), new AllContentFds(fds.subList(1, fds.size())),
                    r.path("streamSize").asLong(), Optional.empty(), -1, () -> { });
        }
    }

    /**
     * Streams one layer with {@code OpenLayerStream}: the stream now, its content fds later, never more than
     * {@code maxFds} at once (for layers with more files than this process may hold open). The layer's
     * diff-digest comes with it, so {@link LayerStream#writeTar} always verifies.
     */
    public LayerStream openLayerWindowed(String layerId, int maxFds) throws IOException {
        ObjectNode params = JSON.objectNode().put(Methods.Params.LAYER, layerId).put(Methods.Params.MAX_FDS, maxFds);
        Response response = call(Methods.OPEN_LAYER_STREAM, params);
        try (response) {
            JsonNode r = result(response, Methods.OPEN_LAYER_STREAM);
            List<OwnedFd> fds = takeFds(response);
            if (fds.size() != 1) {
                fds.forEach(OwnedFd::close);
                throw new IOException(Methods.OPEN_LAYER_STREAM + " of " + layerId + " sent " + fds.size()
                        + " fds, not the one stream fd");
            }
            String token = r.path(Methods.Results.STREAM).asText();
            WindowedContentFds contents = new WindowedContentFds(this::callForFds, token,
                    r.path(Methods.Results.FILES).asInt(), r.path(Methods.Results.MAX_FDS).asInt(maxFds));
            return new LayerStream(layerId, fds.get(0), contents, r.path(Methods.Results.STREAM_SIZE).asLong(),
                    text(r, Methods.Results.DIFF_DIGEST), r.path(Methods.Results.DIFF_SIZE).asLong(-1),
                    () -> closeStream(token));
        }
    }

    private List<OwnedFd> callForFds(String method, ObjectNode params) throws IOException {
        try (Response response = call(method, params)) {
            result(response, method);
            return takeFds(response);
        }
    }

    private void closeStream(String token) throws IOException {
        try (Response response = call(Methods.CLOSE_LAYER_STREAM,
                JSON.objectNode().put(Methods.Params.STREAM, token))) {
            result(response, Methods.CLOSE_LAYER_STREAM);
        }
    }

    @Override
    public void close() {
        connection.close();
    }

    private Response call(String method, JsonNode params) throws IOException {
        try {
            return connection.call(method, params, List.of()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(method + " interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(method + ": " + cause, cause);
        }
    }

    /** The result, or the server's error as a {@link LayerfdException}; an error response's fds are closed. */
    private static JsonNode result(Response response, String method) throws IOException {
        if (response.isError()) {
            response.close();
            throw new LayerfdException(method, response.error().code(), response.error().message());
        }
        return response.result();
    }

    /** Moves the response's fds into new owners so that closing the response leaves them open. */
    private static List<OwnedFd> takeFds(Response response) {
        List<OwnedFd> taken = new ArrayList<>(response.fds().size());
        for (OwnedFd fd : response.fds()) {
            taken.add(OwnedFd.adopt(fd.release()));
        }
        return taken;
    }

    private static Optional<String> text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() || v.asText().isEmpty() ? Optional.empty() : Optional.of(v.asText());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
