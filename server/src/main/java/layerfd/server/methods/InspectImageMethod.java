package layerfd.server.methods;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import layerfd.protocol.Methods.Params;
import layerfd.protocol.Methods.Results;
import layerfd.protocol.jsonrpc.MethodHandler;
import layerfd.protocol.jsonrpc.Reply;
import layerfd.protocol.jsonrpc.Request;
import layerfd.protocol.jsonrpc.RpcException;
import layerfd.server.store.ImageRecord;
import layerfd.server.store.LayerRecord;

/**
 * {@code InspectImage {"image"}} → {@code {"id","names","digest","configDigest","manifest","config","layers"}} with
 * layers BASE first (api-contract §3.4). {@code image} is resolved like GetImage's {@code imageId}.
 */
final class InspectImageMethod implements MethodHandler {
    private final ServiceContext context;

    InspectImageMethod(ServiceContext context) {
        this.context = context;
    }

    @Override
    public Reply handle(Request request) throws RpcException {
        ParamReader params = ParamReader.of(request);
        String reference = params.requiredString(Params.IMAGE);
        ResolvedImage resolved = ResolvedImage.read(context, params, reference);
        ImageRecord image = resolved.image();
        byte[] manifest = resolved.manifest();
        byte[] config = resolved.config();
        List<LayerRecord> layers = resolved.layersBaseFirst();
        ObjectNode result = ImageJson.summary(image);
        result.remove(Results.TOP_LAYER);
        result.remove(Results.CREATED);
        result.put(Results.CONFIG_DIGEST, ImageJson.configDigest(manifest, image.id()));
        result.put(Results.MANIFEST, ImageJson.storedText(manifest, "manifest of image " + image.id()));
        result.put(Results.CONFIG, ImageJson.storedText(config, "config of image " + image.id()));
        ArrayNode list = result.putArray(Results.LAYERS);
        layers.forEach(layer -> list.add(ImageJson.layer(layer)));
        return Reply.of(result);
    }
}
