package layerfd.server.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import layerfd.linux.OwnedFd;
import layerfd.server.store.internal.DiffFileOpener;

/**
 * Everything needed to rebuild one layer's tar byte for byte, opened while the store was locked: the layer's
 * {@code <id>.tar-split.gz} and its content directories. Both stay valid after the lock is released, even if podman
 * deletes the layer meanwhile (open descriptors keep the files alive). Closing releases every descriptor.
 */
public final class LayerContent implements AutoCloseable {
    private final LayerRecord layer;
    private final OwnedFd tarSplit;
    private final DiffFileOpener files;

    LayerContent(LayerRecord layer, OwnedFd tarSplit, DiffFileOpener files) {
        this.layer = Objects.requireNonNull(layer, "layer");
        this.tarSplit = Objects.requireNonNull(tarSplit, "tarSplit");
        this.files = Objects.requireNonNull(files, "files");
    }

    public LayerRecord layer() {
        return layer;
    }

    /**
     * A fresh stream of the gzip-compressed tar-split, from its first byte. Each call reopens the held descriptor
     * through /proc/self/fd, so streams have their own offsets and closing one does not close the held fd.
     */
    public InputStream openTarSplit() throws IOException {
        FileChannel channel = FileChannel.open(Path.of("/proc/self/fd/" + tarSplit.get()), StandardOpenOption.READ);
        return Channels.newInputStream(channel);
    }

    /** Opens the layer's files by tar-split name, beneath its content directories (lower chain included). */
    public DiffFileOpener files() {
        return files;
    }

    @Override
    public void close() {
        files.close();
        tarSplit.close();
    }
}
