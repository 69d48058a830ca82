package layerfd.client.objects;

import java.util.List;
import java.util.Objects;

/**
 * What {@link ObjectStore#repair} did.
 *
 * @param deletedObjects corrupt objects deleted (digests)
 * @param reimported images re-imported, with what each import did
 * @param failures images that could not be repaired, each with the reason (gone from containers-storage, the
 *        re-import failed)
 * @param after a fresh fsck after the repair
 */
public record RepairReport(List<String> deletedObjects, List<Reimported> reimported, List<String> failures,
                           FsckReport after) {
    public RepairReport {
        deletedObjects = List.copyOf(deletedObjects);
        reimported = List.copyOf(reimported);
        failures = List.copyOf(failures);
        Objects.requireNonNull(after, "after");
    }

    /** One re-imported image. */
    public record Reimported(String imageId, ImportStatistics statistics) {
    }

    /** The store is clean after the repair. */
    public boolean ok() {
        return failures.isEmpty() && after.ok();
    }
}
