package layerfd.client.apply;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import layerfd.client.apply.ApplyException.Reason;
import layerfd.client.apply.internal.LayerApplyEngine;
import layerfd.linux.Errno;
import layerfd.linux.LinuxException;
import layerfd.linux.Open;
import layerfd.linux.OwnedFd;

/** Applies one layer onto an existing directory, on top of whatever lower layers already put there. */
public final class LayerApplier {
    private LayerApplier() {}

    /**
     * Applies {@code layer} onto {@code destination} (an existing directory) and closes the layer input, whatever
     * happens. On failure the directory holds part of the layer.
     */
    public static ApplyStatistics apply(LayerInput layer, Path destination, ApplyOptions options) throws IOException {
        try (LayerInput in = layer; OwnedFd root = openRoot(destination)) {
            return new LayerApplyEngine(options, Set.of()).apply(in, root, offset -> { });
        }
    }

    /** The destination as the one descriptor every lookup starts from. */
    static OwnedFd openRoot(Path destination) throws ApplyException {
        try {
            return Open.open(destination.toString().getBytes(StandardCharsets.UTF_8),
                    Open.O_RDONLY | Open.O_DIRECTORY | Open.O_CLOEXEC, 0);
        } catch (LinuxException e) {
            throw new ApplyException(Reason.DESTINATION, "cannot open the destination directory " + destination
                    + ": " + Errno.name(e.errno()), e);
        }
    }
}
