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
 * container-libs PR 651 {@code GetImage {"imageId"}} → {@code {"manifest","config","layerDigests"}} (api-contract
 * §3.1; splitfdstream brief §2.1). {@code imageId} is a full id, a unique id prefix, a full name or a manifest
 * digest. {@code layerDigests} are storage layer ids, TOP layer first, as upstream orders them; a layer-less image
 * has none (upstream would fall back to manifest digests, base first; layerfd never mixes the two kinds).
 */
final class GetImageMethod implements MethodHandler {
    private final ServiceContext context;

    GetImageMethod(ServiceContext context) {
        this.context = context;
    }

    @Override
    public Reply handle(Request request) throws RpcException {
        ParamReader params = ParamReader.of(request);
        String reference = params.requiredString(Params.IMAGE_ID);
        ResolvedImage resolved = ResolvedImage.read(context, params, reference);
        ImageRecord image = resolved.image();
        byte[] manifest = resolved.manifest();
        byte[] config = resolved.config();
        List<LayerRecord> baseFirst = resolved.layersBaseFirst();
        ObjectNode result = ImageJson.NODES.objectNode();
        result.put(Results.MANIFEST, ImageJson.storedText(manifest, "manifest of image " + image.id()));
        result.put(Results.CONFIG, ImageJson.storedText(config, "config of image " + image.id()));
        ArrayNode layers = result.putArray(Results.LAYER_DIGESTS);
        baseFirst.reversed().forEach(layer -> layers.add(layer.id()));
        return Reply.of(result);
    }
}
