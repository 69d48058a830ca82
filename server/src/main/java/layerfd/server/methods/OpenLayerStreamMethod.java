package layerfd.server.methods;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import layerfd.protocol.Methods.Params;
import layerfd.protocol.Methods.Results;
import layerfd.protocol.jsonrpc.MethodHandler;
import layerfd.protocol.jsonrpc.Reply;
import layerfd.protocol.jsonrpc.Request;
import layerfd.protocol.jsonrpc.RpcException;
import layerfd.server.rootless.LayerFiles;
import layerfd.server.store.LayerContent;
import layerfd.server.store.LayerRecord;
import layerfd.server.stream.BuiltStream;
import layerfd.server.stream.LayerStreams;
import layerfd.server.stream.NamedFiles;

/**
 * {@code OpenLayerStream {"layer", "maxFds"}} → {@code {"stream","streamSize","files","maxFds","diffDigest",
 * "diffSize"}} with ONE fd, the sealed memfd (docs/protocol.md "Windowed layer stream"). The stream is the same
 * byte-exact splitfdstream GetSplitFDStream sends; its K content fds come later, at most {@code maxFds} at a time,
 * through ReadLayerFiles. The server keeps the layer's directories open for the stream, never its files. The stream
 * holds one of the connection's stream slots until CloseLayerStream or the end of the connection.
 */
final class OpenLayerStreamMethod implements MethodHandler {
    private final ServiceContext context;
    private final ConnectionState state;

    OpenLayerStreamMethod(ServiceContext context, ConnectionState state) {
        this.context = context;
        this.state = state;
    }

    @Override
    public Reply handle(Request request) throws RpcException {
        ParamReader params = ParamReader.of(request);
        String layerId = params.requiredString(Params.LAYER);
        int window = params.requiredInt(Params.MAX_FDS, 1, maxWindow());
        String what = params.method() + " of layer " + layerId;
        state.acquireStreamSlot(what);
        boolean registered = false;
        try {
            state.reserveFds(1, what);
            RequestScope.current().afterSend(() -> state.fds().release(1));
            LayerContent content = LayerLookup.open(context, params, layerId, Optional.empty());
            WindowedStream stream = null;
            BuiltStream built;
            try (LayerFiles opener = context.openers().opener(content)) {
                NamedFiles files = new NamedFiles();
                built = LayerStreams.build(content, opener, context.inlineThreshold(), files);
                stream = new WindowedStream(state.newToken(), content, files,
                        WindowFiles.of(context.openers(), content), window);
            } catch (IOException e) {
                throw Failures.toRpc(params.method(), e);
            } finally {
                if (stream == null) {
                    content.close();
                }
            }
            try {
                state.register(stream);
            } catch (RpcException e) {
                built.close();
                throw e;
            }
            registered = true;
            return new Reply(result(stream, built, content.layer()), List.of(built.memfd()));
        } finally {
            if (!registered) {
                state.releaseStreamSlot();
            }
        }
    }

    /** A window larger than one response or the connection's fd budget could never be filled. */
    private int maxWindow() {
        return Math.min(context.limits().maxFdsPerResponse(), context.limits().maxFdsInFlightPerConnection());
    }

    private static ObjectNode result(WindowedStream stream, BuiltStream built, LayerRecord layer) {
        ObjectNode result = ImageJson.NODES.objectNode();
        result.put(Results.STREAM, stream.token());
        result.put(Results.STREAM_SIZE, built.streamSize());
        result.put(Results.FILES, stream.files());
        result.put(Results.MAX_FDS, stream.maxFds());
        ImageJson.putOptional(result, Results.DIFF_DIGEST, layer.diffDigest());
        result.put(Results.DIFF_SIZE, layer.diffSize());
        return result;
    }
}
