package layerfd.server.methods;

import com.fasterxml.jackson.databind.node.ObjectNode;
import layerfd.protocol.Methods;
import layerfd.protocol.Methods.Results;
import layerfd.protocol.jsonrpc.MethodHandler;
import layerfd.protocol.jsonrpc.Reply;
import layerfd.protocol.jsonrpc.Request;
import layerfd.protocol.jsonrpc.RpcException;
import layerfd.server.store.StoreLocation;

/**
 * {@code Initialize {}} (api-contract §3.4): the server's version, protocol version, the methods it answers
 * ({@code features}, the windowed stream's three included) and the store it serves. Reads nothing from the store, so
 * it needs no lock. {@code helper} says whether layer files are opened through the userns helper (a rootless store
 * served without CAP_DAC_OVERRIDE; docs/rootless.md).
 */
final class InitializeMethod implements MethodHandler {
    private final ServiceContext context;

    InitializeMethod(ServiceContext context) {
        this.context = context;
    }

    @Override
    public Reply handle(Request request) throws RpcException {
        ParamReader.of(request);
        StoreLocation location = context.store().location();
        ObjectNode result = ImageJson.NODES.objectNode();
        result.put(Results.VERSION, context.version());
        result.put(Results.PROTOCOL_VERSION, Methods.PROTOCOL_VERSION);
        result.set(Results.FEATURES, ImageJson.strings(Methods.ALL));
        ObjectNode store = result.putObject(Results.STORE);
        store.put(Results.GRAPH_ROOT, location.graphRoot().toString());
        store.put(Results.RUN_ROOT, location.runRoot().toString());
        store.put(Results.DRIVER, location.driver());
        store.put(Results.ROOTLESS, location.rootless());
        store.put(Results.HELPER, context.openers().helperInUse());
        return Reply.of(result);
    }
}
