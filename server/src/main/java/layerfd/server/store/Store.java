package layerfd.server.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import layerfd.server.store.internal.LockFile;
import layerfd.server.store.internal.PartRecords;
import layerfd.server.store.internal.PartView;
import layerfd.server.store.internal.StorePart;
import layerfd.server.store.internal.StoreView;

/**
 * A read-only view of a containers-storage store (primary, split image store, additional image stores) that reads
 * podman's records under podman's own locks. Thread-safe; one instance per location is enough for a process.
 * <pre>{@code
 * try (StoreSnapshot s = store.readLocked()) {   // shared locks held
 *     ImageRecord image = s.resolveImage("localhost/app:1");
 *     for (LayerRecord l : s.imageLayers(image)) contents.add(s.openLayer(l));
 * }                                               // locks released; the opened contents stay valid
 * }</pre>
 */
public final class Store {
    private final StoreLocation location;
    private final List<PartRecords> parts;

    private Store(StoreLocation location, List<PartRecords> parts) {
        this.location = location;
        this.parts = parts;
    }

    /**
     * Prepares to read the store at {@code location}. Fails when a store lacks its {@code layers.lock} or
     * {@code images.lock}: this reader never creates files in a store and never reads one unlocked.
     */
    public static Store open(StoreLocation location) throws StoreException {
        Objects.requireNonNull(location, "location");
        List<PartRecords> parts = new ArrayList<>();
        for (StorePart part : StorePart.of(location)) {
            parts.add(new PartRecords(part));
        }
        return new Store(location, List.copyOf(parts));
    }

    public StoreLocation location() {
        return location;
    }

    /**
     * Takes shared locks in Go's order (containers-storage.md §4, point 4: every {@code layers.lock}, primary first,
     * then every {@code images.lock}), re-reads records whose token or mtime changed, and returns a snapshot that
     * holds the locks until closed. While it is open, podman, buildah and skopeo block at startup on this store
     * (§4 point 7), so open the descriptors you need and close it promptly.
     */
    public StoreSnapshot readLocked() throws StoreException {
        List<LockFile> held = new ArrayList<>();
        try {
            List<byte[]> layerTokens = new ArrayList<>();
            for (PartRecords p : parts) {
                layerTokens.add(p.layersLock().acquireShared());
                held.add(p.layersLock());
            }
            List<byte[]> imageTokens = new ArrayList<>();
            for (PartRecords p : parts) {
                imageTokens.add(p.imagesLock().acquireShared());
                held.add(p.imagesLock());
            }
            List<PartView> views = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                PartRecords p = parts.get(i);
                views.add(new PartView(p.part(), p.layers(layerTokens.get(i)), p.images(imageTokens.get(i))));
            }
            StoreSnapshot snapshot = new StoreSnapshot(new StoreView(views), held);
            held = null;
            return snapshot;
        } finally {
            if (held != null) {
                StoreSnapshot.release(held);
            }
        }
    }
}
