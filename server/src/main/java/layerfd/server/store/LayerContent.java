package layerfd.server.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import layerfd.linux.OwnedFd;
import layerfd.server.store.StoreException.Kind;
import layerfd.server.store.internal.DiffFileOpener;
import layerfd.server.tarsplit.AssemblyResult;
import layerfd.server.tarsplit.ExpectedLayer;
import layerfd.server.tarsplit.LayerAssembler;
import layerfd.server.tarsplit.LayerFileOpener;
import layerfd.server.tarsplit.TarSplitException;

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
    public LayerFileOpener files() {
        return files;
    }

    /** The directories {@link #files()} searches, nearest first (overlay: own diff, then the lower chain). */
    public List<Path> contentDirectories() {
        return files.roots();
    }

    /**
     * Writes the layer's original tar to {@code out}, byte for byte, checking every file's CRC-64 and the whole
     * tar's sha256 and length against the record's {@code diff-digest} and {@code diff-size}. On failure the bytes
     * written so far are not the layer. {@code out} is left open.
     */
    public AssemblyResult reassemble(OutputStream out) throws IOException {
        ExpectedLayer expected;
        try {
            expected = new ExpectedLayer(layer.diffDigest(), layer.diffSize());
        } catch (IllegalArgumentException e) {
            throw new StoreException(Kind.NOT_STREAMABLE, "layer " + layer.id() + " cannot be verified byte-exact: "
                    + e.getMessage(), e);
        }
        try {
            return new LayerAssembler(files).assemble(openTarSplit(), out, expected);
        } catch (TarSplitException e) {
            throw new StoreException(Kind.IO_OR_INTEGRITY, "layer " + layer.id() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        files.close();
        tarSplit.close();
    }
}
