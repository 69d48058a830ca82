package layerfd.server.methods;

import java.util.Optional;
import layerfd.protocol.jsonrpc.RpcException;
import layerfd.server.store.LayerContent;
import layerfd.server.store.LayerRecord;
import layerfd.server.store.StoreException;
import layerfd.server.store.StoreSnapshot;

/**
 * Finds a layer by its exact storage id and opens its content under the store's shared locks, releasing them before
 * anything else happens (containers-storage.md §4 point 7: locks stall every podman on the store, so they are held
 * only to resolve and open, never while a stream is built or sent).
 */
final class LayerLookup {
    private LayerLookup() {}

    /**
     * The opened content of layer {@code layerId} (exact id, optionally {@code sha256:}-prefixed; prefixes are not
     * expanded, as upstream's {@code GetSplitFDStream} takes a storage layer id). When {@code parentId} is given it
     * must be the layer's parent, else -32602 naming both.
     */
    static LayerContent open(ServiceContext context, ParamReader params, String layerId, Optional<String> parentId)
            throws RpcException {
        try (StoreSnapshot snapshot = context.store().readLocked()) {
            LayerRecord layer = snapshot.layer(layerId);
            if (parentId.isPresent() && !parentId.equals(layer.parent())) {
                throw params.invalid("parentId " + parentId.get() + " is not the parent of layer " + layer.id()
                        + " (its parent is " + layer.parent().orElse("none: it is a base layer") + ")");
            }
            return snapshot.openLayer(layer);
        } catch (StoreException e) {
            throw Failures.toRpc(params.method(), e);
        }
    }
}
