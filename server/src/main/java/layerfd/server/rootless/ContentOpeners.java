package layerfd.server.rootless;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import layerfd.helper.HelperLaunch;
import layerfd.helper.UsernsHelper;
import layerfd.linux.Capabilities;
import layerfd.linux.OwnedFd;
import layerfd.server.store.LayerContent;
import layerfd.server.store.StoreLocation;
import layerfd.server.tarsplit.LayerFileOpener;
import layerfd.server.tarsplit.TarSplitEntry;
import layerfd.server.tarsplit.TarSplitReader;

/**
 * The server's one decision about file access (issue 5): a process that can bypass file permissions (uid 0 or
 * CAP_DAC_OVERRIDE; containers-storage brief §5) opens layer files itself; any other needs the userns helper, which
 * is started on the first file and serves every graph root of the store. Wiring it into a server is:
 * <pre>{@code
 * ContentOpeners openers = ContentOpeners.forStore(location);   // once, at startup; close at shutdown
 * try (LayerFiles files = openers.opener(content)) {             // per layer, instead of content.files()
 *     new LayerAssembler(files).assemble(content.openTarSplit(), out, expected);
 * }
 * boolean helper = openers.helperInUse();                       // Initialize's "helper"
 * }</pre>
 */
public final class ContentOpeners implements AutoCloseable {
    private final Optional<UsernsHelper> helper;

    private ContentOpeners(Optional<UsernsHelper> helper) {
        this.helper = helper;
    }

    /** Direct access if this process can bypass file permissions, otherwise the helper under podman unshare. */
    public static ContentOpeners forStore(StoreLocation location) {
        if (Capabilities.canBypassFilePermissions()) {
            return direct();
        }
        return withHelper(new UsernsHelper(HelperLaunch.podmanUnshare(graphRoots(location))));
    }

    /** Always open files directly. */
    public static ContentOpeners direct() {
        return new ContentOpeners(Optional.empty());
    }

    /** Always go through {@code helper}, which this object then owns. */
    public static ContentOpeners withHelper(UsernsHelper helper) {
        return new ContentOpeners(Optional.of(Objects.requireNonNull(helper, "helper")));
    }

    /** Every root whose layers the server may stream: the graph root, the image store, the additional stores. */
    public static List<Path> graphRoots(StoreLocation location) {
        List<Path> roots = new ArrayList<>();
        roots.add(location.graphRoot());
        location.imageStore().ifPresent(roots::add);
        roots.addAll(location.additionalImageStores());
        return roots;
    }

    /**
     * The opener for one layer: {@code content.files()} directly, or a {@link HelperFileOpener} over its content
     * directories that has been told every file of the layer in tar-split order (one extra pass over the
     * tar-split), so the helper opens them in batches. The caller closes it.
     */
    public LayerFiles opener(LayerContent content) throws IOException {
        if (helper.isEmpty()) {
            LayerFileOpener direct = content.files();
            return new LayerFiles() {
                @Override
                public OwnedFd open(byte[] name) throws IOException {
                    return direct.open(name);
                }

                @Override
                public void close() {
                    // the descriptors belong to the LayerContent
                }
            };
        }
        HelperFileOpener opener = new HelperFileOpener(helper.get(), content.contentDirectories());
        opener.prefetch(contentFileNames(content));
        return opener;
    }

    /** The names of the layer's files that have content, in tar-split order (what the walk will open). */
    static List<byte[]> contentFileNames(LayerContent content) throws IOException {
        List<byte[]> names = new ArrayList<>();
        try (TarSplitReader reader = TarSplitReader.fromGzip(content.openTarSplit())) {
            for (Optional<TarSplitEntry> e = reader.next(); e.isPresent(); e = reader.next()) {
                if (e.get() instanceof TarSplitEntry.FileEntry file && file.hasContent()) {
                    names.add(file.name());
                }
            }
        }
        return names;
    }

    /** True when layer files go through the userns helper (Initialize reports it as {@code "helper": true}). */
    public boolean helperInUse() {
        return helper.isPresent();
    }

    /** The helper, when files go through one. */
    public Optional<UsernsHelper> helper() {
        return helper;
    }

    /** Stops the helper, if one runs. */
    @Override
    public void close() {
        helper.ifPresent(UsernsHelper::close);
    }
}
