package layerfd.server.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import layerfd.linux.LinuxException;
import layerfd.linux.Open;
import layerfd.linux.OwnedFd;
import layerfd.server.store.StoreException.Kind;
import layerfd.server.store.internal.DiffDirs;
import layerfd.server.store.internal.DiffFileOpener;
import layerfd.server.store.internal.ImageBigData;
import layerfd.server.store.internal.ImageResolver;
import layerfd.server.store.internal.LayerChain;
import layerfd.server.store.internal.LockFile;
import layerfd.server.store.internal.RecordParser;
import layerfd.server.store.internal.StoreView;

/**
 * The store's records as read under shared locks, and the way to open layer content while those locks are held.
 * Closing releases the locks (not the {@link LayerContent}s opened meanwhile). After closing, the records can still
 * be inspected, but nothing is read from disk any more: that would be reading without the locks.
 */
public final class StoreSnapshot implements AutoCloseable {
    /** The manifest's big-data key (containers-storage.md §2.3). */
    public static final String MANIFEST_KEY = "manifest";

    private final StoreView view;
    private final List<LockFile> held;
    private final AtomicBoolean closed = new AtomicBoolean();

    StoreSnapshot(StoreView view, List<LockFile> held) {
        this.view = Objects.requireNonNull(view, "view");
        this.held = List.copyOf(held);
    }

    /** Every image, primary store first; an id present in several stores is listed once. */
    public List<ImageRecord> images() {
        return view.images();
    }

    /** Every layer, primary store first; an id present in several stores is listed once. */
    public List<LayerRecord> layers() {
        return view.layers();
    }

    /**
     * The image named by {@code reference}: exact id ({@code sha256:} prefix allowed), exact name, unique id prefix,
     * or manifest digest ({@code sha256:<hex>} or {@code repo@sha256:<hex>}). Names are full references
     * ({@code docker.io/library/alpine:latest}); short names are not expanded.
     */
    public ImageRecord resolveImage(String reference) throws StoreException {
        return ImageResolver.resolve(view, reference);
    }

    /** The image's layers, base first, each checked to be streamable byte-exact. */
    public List<LayerRecord> imageLayers(ImageRecord image) throws StoreException {
        requireOpen();
        return LayerChain.of(view, image);
    }

    /** A layer by its exact id (a {@code sha256:} prefix is allowed), primary store first. */
    public LayerRecord layer(String id) throws StoreException {
        String key = id != null && id.startsWith("sha256:") ? id.substring("sha256:".length()) : id;
        if (key == null || !RecordParser.isId(key)) {
            throw new StoreException(Kind.LAYER_NOT_FOUND, "'" + id + "' is not a layer id (64 hex digits)");
        }
        return view.layer(key).orElseThrow(() -> new StoreException(Kind.LAYER_NOT_FOUND, "no layer " + key
                + " in the store at " + view.primary().part().root()));
    }

    /** Opens the tar-split and the content directories of a streamable layer. The caller closes the result. */
    public LayerContent openLayer(LayerRecord layer) throws StoreException {
        requireOpen();
        LayerChain.requireStreamable(view, layer);
        List<Path> roots = DiffDirs.of(view, layer);
        Path tarSplit = view.partOf(layer.store()).tarSplit(layer.id());
        OwnedFd fd;
        try {
            fd = Open.open(tarSplit.toString(), Open.O_RDONLY | Open.O_NOFOLLOW | Open.O_CLOEXEC, 0);
        } catch (LinuxException e) {
            throw new StoreException(Kind.NOT_STREAMABLE, "layer " + layer.id() + " cannot be streamed byte-exact: "
                    + "cannot open its tar-split: " + e.getMessage(), e);
        }
        try {
            return new LayerContent(layer, fd, DiffFileOpener.open(layer.id(), roots));
        } catch (StoreException e) {
            fd.close();
            throw e;
        }
    }

    /**
     * A big-data item of an image exactly as stored (file name per {@code makeBigDataBaseName}, §2.3), from the first
     * store whose record of the image lists the key (Go's {@code ImageBigData}); its size is checked against
     * {@code big-data-sizes}.
     */
    public byte[] bigData(ImageRecord image, String key) throws StoreException {
        requireOpen();
        return ImageBigData.read(view, image, key);
    }

    /** The image's manifest (big-data key {@code manifest}). */
    public byte[] manifest(ImageRecord image) throws StoreException {
        return bigData(image, MANIFEST_KEY);
    }

    /**
     * The image's config, as stored: the big-data item named by the manifest's {@code config.digest}, which is not
     * always {@code sha256:<image id>} (§2.2: TOC-derived ids).
     */
    public byte[] config(ImageRecord image) throws StoreException {
        String digest = RecordParser.configDigest(manifest(image), "manifest of image " + image.id())
                .orElseThrow(() -> new StoreException(Kind.IO_OR_INTEGRITY, "manifest of image " + image.id()
                        + " names no config digest (a manifest list?)"));
        return bigData(image, digest);
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("store snapshot already closed: its locks are released");
        }
    }

    /** Releases the shared locks (images locks first, the reverse of acquisition). Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            release(held);
        }
    }

    static void release(List<LockFile> locks) {
        for (int i = locks.size() - 1; i >= 0; i--) {
            locks.get(i).releaseShared();
        }
    }
}
