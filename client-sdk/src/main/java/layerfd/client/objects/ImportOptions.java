package layerfd.client.objects;

import java.util.Objects;
import layerfd.client.ReflinkPolicy;

/**
 * How an import writes objects: the reflink policy chain of api-contract §5 (as the extractor applies it) and who
 * hears the progress.
 */
public record ImportOptions(ReflinkPolicy reflinkPolicy, ImportProgress progress) {
    public ImportOptions {
        Objects.requireNonNull(reflinkPolicy, "reflinkPolicy");
        Objects.requireNonNull(progress, "progress");
    }

    /** {@code disabled} (the contract's default policy) and no progress. */
    public static ImportOptions defaults() {
        return new ImportOptions(ReflinkPolicy.DISABLED, ImportProgress.NONE);
    }

    public ImportOptions withReflinkPolicy(ReflinkPolicy policy) {
        return new ImportOptions(policy, progress);
    }

    public ImportOptions withProgress(ImportProgress listener) {
        return new ImportOptions(reflinkPolicy, listener);
    }
}
