package layerfd.server.methods;

import layerfd.protocol.Methods.Params;
import layerfd.protocol.Methods.Results;
import layerfd.protocol.jsonrpc.MethodHandler;
import layerfd.protocol.jsonrpc.Reply;
import layerfd.protocol.jsonrpc.Request;
import layerfd.protocol.jsonrpc.RpcException;

/** {@code CloseLayerStream {"stream"}} → {@code {"closed": true}}: the server closes the stream's directories. */
final class CloseLayerStreamMethod implements MethodHandler {
    private final ConnectionState state;

    CloseLayerStreamMethod(ConnectionState state) {
        this.state = state;
    }

    @Override
    public Reply handle(Request request) throws RpcException {
        ParamReader params = ParamReader.of(request);
        String token = params.requiredString(Params.STREAM);
        state.stream(token, params.method());
        if (!state.close(token)) {
            throw params.invalid("stream '" + token + "' was closed meanwhile");
        }
        return Reply.of(ImageJson.NODES.objectNode().put(Results.CLOSED, true));
    }
}
