package layerfd.server.methods;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import layerfd.protocol.Methods.Results;
import layerfd.protocol.jsonrpc.MethodHandler;
import layerfd.protocol.jsonrpc.Reply;
import layerfd.protocol.jsonrpc.Request;
import layerfd.protocol.jsonrpc.RpcException;
import layerfd.server.store.ImageRecord;
import layerfd.server.store.StoreException;
import layerfd.server.store.StoreSnapshot;

/** {@code ListImages {}} → {@code {"images": [{"id","names","digest","topLayer","created"}]}} (api-contract §3.4). */
final class ListImagesMethod implements MethodHandler {
    private final ServiceContext context;

    ListImagesMethod(ServiceContext context) {
        this.context = context;
    }

    @Override
    public Reply handle(Request request) throws RpcException {
        ParamReader params = ParamReader.of(request);
        List<ImageRecord> images;
        try (StoreSnapshot snapshot = context.store().readLocked()) {
            images = snapshot.images();
        } catch (StoreException e) {
            throw Failures.toRpc(params.method(), e);
        }
        ObjectNode result = ImageJson.NODES.objectNode();
        ArrayNode list = result.putArray(Results.IMAGES);
        images.forEach(image -> list.add(ImageJson.summary(image)));
        return Reply.of(result);
    }
}
