package layerfd.server.methods;

import layerfd.protocol.Methods.Params;
import layerfd.protocol.Methods.Results;
import layerfd.protocol.jsonrpc.MethodHandler;
import layerfd.protocol.jsonrpc.Reply;
import layerfd.protocol.jsonrpc.Request;
import layerfd.protocol.jsonrpc.RpcException;

/**
 * container-libs PR 651 {@code GetSplitFDStream {"layerId", "parentId"?}} → {@code {"streamSize"}} with 1+K fds
 * (api-contract §3.1; splitfdstream brief §2.1). The payload is the byte-exact dialect [A], not upstream's
 * entry-framed one (api-contract §3.3). {@code parentId} "" or absent means "not given".
 */
final class GetSplitFdStreamMethod implements MethodHandler {
    private final ServiceContext context;
    private final ConnectionState state;

    GetSplitFdStreamMethod(ServiceContext context, ConnectionState state) {
        this.context = context;
        this.state = state;
    }

    @Override
    public Reply handle(Request request) throws RpcException {
        ParamReader params = ParamReader.of(request);
        String layerId = params.requiredString(Params.LAYER_ID);
        return WholeLayerStream.send(context, state, params, layerId, params.optionalString(Params.PARENT_ID),
                ImageJson.NODES.objectNode(), (result, built) -> result.put(Results.STREAM_SIZE, built.streamSize()));
    }
}
