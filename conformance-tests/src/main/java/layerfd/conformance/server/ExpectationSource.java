package layerfd.conformance.server;

import java.nio.file.Path;
import java.util.Objects;
import layerfd.server.store.config.StoreOverrides;

/** Where the server runner takes the layer digests it checks the streams against. */
public sealed interface ExpectationSource {
    /** {@code --expect FILE}: {@code {"<layer id>": {"digest": "sha256:...", "size": N}}}; size may be left out. */
    record ExpectFile(Path file) implements ExpectationSource {
        public ExpectFile {
            Objects.requireNonNull(file, "file");
        }
    }

    /** {@code --root/--runroot/--driver/--storage-conf}: layerfd's store reader, the records' diff-digest/size. */
    record FromStore(StoreOverrides overrides) implements ExpectationSource {
        public FromStore {
            Objects.requireNonNull(overrides, "overrides");
        }
    }

    /**
     * Neither: the config's rootfs.diff_ids (base first) mapped by position to layerDigests (top first). Sizes are
     * unknown, and the mapping trusts the server's order, so a server that lists the right layers in the wrong
     * order fails every layer rather than the order check.
     */
    record FromConfig() implements ExpectationSource {}
}
