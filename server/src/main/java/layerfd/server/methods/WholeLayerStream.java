package layerfd.server.methods;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import layerfd.linux.OwnedFd;
import layerfd.protocol.jsonrpc.Reply;
import layerfd.protocol.jsonrpc.RpcException;
import layerfd.server.rootless.LayerFiles;
import layerfd.server.store.LayerContent;
import layerfd.server.stream.BuiltStream;
import layerfd.server.stream.HeldFiles;
import layerfd.server.stream.LayerStreams;

/**
 * A layer's whole splitfdstream in one response, as GetSplitFDStream and GetLayerSplitfdstream send it: fds[0] the
 * sealed memfd, fds[1..K] the content files in index order (api-contract §3.1). The response takes one of the
 * connection's stream slots and reserves its 1+K fds until it has been sent; K is capped by
 * {@code maxFdsPerResponse}.
 */
final class WholeLayerStream {
    private WholeLayerStream() {}

    /** Builds the stream of {@code layerId} and returns {@code result} with the 1+K fds. */
    static Reply send(ServiceContext context, ConnectionState state, ParamReader params, String layerId,
                      Optional<String> parentId, ObjectNode result, ResultFiller filler) throws RpcException {
        String what = params.method() + " of layer " + layerId;
        RequestScope scope = RequestScope.current();
        state.acquireStreamSlot(what);
        scope.afterSend(state::releaseStreamSlot);
        state.reserveFds(1, what);
        scope.afterSend(() -> state.fds().release(1));
        try (LayerContent content = LayerLookup.open(context, params, layerId, parentId);
             LayerFiles opener = context.openers().opener(content);
             HeldFiles files = new HeldFiles(content.layer().id(), context.limits().maxFdsPerResponse(),
                     state.fds())) {
            BuiltStream built = LayerStreams.build(content, opener, context.inlineThreshold(), files);
            List<OwnedFd> fds = new ArrayList<>(1 + files.count());
            fds.add(built.memfd());
            fds.addAll(files.take());
            int contentFds = fds.size() - 1;
            scope.afterSend(() -> state.fds().release(contentFds));
            filler.fill(result, built);
            return new Reply(result, fds);
        } catch (IOException e) {
            throw Failures.toRpc(params.method(), e);
        }
    }

    /** Puts the method's own result keys. */
    @FunctionalInterface
    interface ResultFiller {
        void fill(ObjectNode result, BuiltStream built);
    }
}
