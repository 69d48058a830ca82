package layerfd.client.objects;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import layerfd.client.apply.LayerSource;
import layerfd.client.objects.FsckReport.CorruptObject;
import layerfd.client.objects.FsckReport.ImageCheck;
import layerfd.client.objects.internal.FsckEngine;
import layerfd.client.objects.internal.ImageDocument;
import layerfd.client.objects.internal.ImportEngine;
import layerfd.client.objects.internal.RepoLayout;
import layerfd.client.objects.internal.RepoLock;

/**
 * A content-addressed object store at a repository directory (api-contract §6, docs/object-store.md):
 * {@code objects/XX/REST} holds file content named by its fs-verity SHA-256 digest ({@link FsVerityDigest}),
 * {@code images/<image id>.json} one document per image listing its merged tree. Safe for concurrent imports,
 * from threads and from processes.
 */
public final class ObjectStore {
    /** Regular files of at most this many bytes are inlined in the document (composefs' limit; see the docs). */
    public static final int INLINE_LIMIT = ImageDocument.INLINE_LIMIT_BYTES;

    private final RepoLayout repo;

    private ObjectStore(Path repository) {
        this.repo = new RepoLayout(repository);
    }

    /** The store at {@code repository}; nothing is created until the first import. */
    public static ObjectStore at(Path repository) {
        return new ObjectStore(Objects.requireNonNull(repository, "repository"));
    }

    public Path repository() {
        return repo.root();
    }

    /** Where the object of a {@code sha256:<hex>} digest lives. */
    public Path objectPath(String digest) {
        return repo.object(digest);
    }

    /** Where the document of an image lives ({@code images/<id>.json}); an unusable id is refused. */
    public Path documentPath(String imageId) throws ObjectStoreException {
        return repo.document(imageId);
    }

    /**
     * Imports an image: every layer (base first, each opened when its turn comes) is read once; file content above
     * {@link #INLINE_LIMIT} becomes objects, and the image document is written last. On failure no document is
     * written (an earlier document of the same image stays as it was).
     */
    public ImportStatistics importImage(ImageDescription image, List<LayerSource> layersBaseFirst,
                                        ImportOptions options) throws IOException {
        return new ImportEngine(repo, options).run(image, List.copyOf(layersBaseFirst));
    }

    /** Checks every document and every object; {@code presence} says whether an image is still in storage. */
    public FsckReport fsck(ImagePresence presence) throws IOException {
        return new FsckEngine(repo).run(presence);
    }

    /**
     * Repairs what {@code report} found: corrupt objects are deleted (under the repository lock; a corrupt object
     * is never overwritten in place), then every image whose document is unreadable or whose objects are missing
     * or corrupt is re-imported through {@code reimporter}. Images gone from containers-storage cannot be
     * re-imported and are reported as failures. Ends with a fresh fsck.
     */
    public RepairReport repair(FsckReport report, Reimporter reimporter, ImportOptions options,
                               ImagePresence presence) throws IOException {
        List<String> deleted = new ArrayList<>();
        try (RepoLock lock = RepoLock.acquire(repo)) {
            for (CorruptObject o : report.corruptObjects()) {
                if (Files.deleteIfExists(repo.object(o.digest()))) {
                    deleted.add(o.digest());
                }
            }
        }
        List<RepairReport.Reimported> reimported = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (ImageCheck image : report.images()) {
            if (image.goneFromStorage()) {
                failures.add("image " + image.imageId() + " is gone from containers-storage and cannot be "
                        + "re-imported; remove " + image.document() + " or pull the image again");
            } else if (image.needsReimport()) {
                try {
                    Reimporter.ImageLayers layers = reimporter.layers(image.imageId());
                    reimported.add(new RepairReport.Reimported(image.imageId(),
                            importImage(layers.description(), layers.layersBaseFirst(), options)));
                } catch (IOException e) {
                    failures.add("image " + image.imageId() + ": re-import failed: " + e.getMessage());
                }
            }
        }
        return new RepairReport(deleted, reimported, failures, fsck(presence));
    }
}
