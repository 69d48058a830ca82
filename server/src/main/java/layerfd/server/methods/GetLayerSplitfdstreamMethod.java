package layerfd.server.methods;

import java.util.Optional;
import layerfd.protocol.Methods.Params;
import layerfd.protocol.Methods.Results;
import layerfd.protocol.jsonrpc.MethodHandler;
import layerfd.protocol.jsonrpc.Reply;
import layerfd.protocol.jsonrpc.Request;
import layerfd.protocol.jsonrpc.RpcException;
import layerfd.protocol.splitfdstream.SplitFdStreamFormat;

/**
 * cstor-rs {@code GetLayerSplitfdstream {"layer", "compressed"?}} → {@code {"mediaType"}} with 1+K fds
 * (api-contract §3.2; splitfdstream brief §2.2). {@code compressed: true} is refused with -32602: nothing is
 * compressed, and cstor-rs only relabelled an uncompressed stream (brief §7).
 */
final class GetLayerSplitfdstreamMethod implements MethodHandler {
    private final ServiceContext context;
    private final ConnectionState state;

    GetLayerSplitfdstreamMethod(ServiceContext context, ConnectionState state) {
        this.context = context;
        this.state = state;
    }

    @Override
    public Reply handle(Request request) throws RpcException {
        ParamReader params = ParamReader.of(request);
        String layerId = params.requiredString(Params.LAYER);
        if (params.optionalBoolean(Params.COMPRESSED, false)) {
            throw params.invalid("compressed streams are not supported (layerfd sends the uncompressed byte-exact "
                    + "stream only); leave compressed out or false");
        }
        return WholeLayerStream.send(context, state, params, layerId, Optional.empty(), ImageJson.NODES.objectNode(),
                (result, built) -> result.put(Results.MEDIA_TYPE, SplitFdStreamFormat.MEDIA_TYPE));
    }
}
