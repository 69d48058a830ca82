package layerfd.server.tarsplit;

import java.io.IOException;
import layerfd.linux.OwnedFd;

/**
 * Opens the content of a layer file named by a tar-split entry, read-only. The store implements it beneath the
 * layer's diff directory and its overlay lower chain ({@code asm} file getter; containers-storage brief §3.3).
 * Implementations must refuse names that leave the layer ({@link LayerPath#clean}, then openat2 with
 * {@code RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS}), must return only regular files, and must never block (a FIFO
 * where a file should be). A file that is not there is a {@link java.nio.file.NoSuchFileException}.
 */
@FunctionalInterface
public interface LayerFileOpener {
    /** A new read-only descriptor of the file named {@code name} (raw tar-split bytes); the caller owns it. */
    OwnedFd open(byte[] name) throws IOException;
}
