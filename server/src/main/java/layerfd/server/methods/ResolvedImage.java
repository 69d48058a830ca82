package layerfd.server.methods;

import java.util.List;
import layerfd.protocol.jsonrpc.RpcException;
import layerfd.server.store.ImageRecord;
import layerfd.server.store.LayerRecord;
import layerfd.server.store.StoreException;
import layerfd.server.store.StoreSnapshot;

/**
 * An image resolved and read under one short store lock: the record, its stored manifest and config bytes, and its
 * layers BASE first. What GetImage and InspectImage both answer from.
 */
record ResolvedImage(ImageRecord image, byte[] manifest, byte[] config, List<LayerRecord> layersBaseFirst) {
    static ResolvedImage read(ServiceContext context, ParamReader params, String reference) throws RpcException {
        try (StoreSnapshot snapshot = context.store().readLocked()) {
            ImageRecord image = snapshot.resolveImage(reference);
            return new ResolvedImage(image, snapshot.manifest(image), snapshot.config(image),
                    snapshot.imageLayers(image));
        } catch (StoreException e) {
            throw Failures.toRpc(params.method(), e);
        }
    }
}
