package layerfd.client.objects.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import layerfd.client.apply.LayerInput;
import layerfd.client.apply.LayerSource;
import layerfd.client.apply.Piece.ExternalFile;
import layerfd.client.apply.internal.EntryPath;
import layerfd.client.apply.internal.TarEntry;
import layerfd.client.apply.internal.TarReader;
import layerfd.client.objects.ImageDescription;
import layerfd.client.objects.ImportOptions;
import layerfd.client.objects.ImportStatistics;
import layerfd.client.objects.ObjectStoreException;
import layerfd.client.objects.internal.TreeNode.Inode;
import layerfd.client.objects.internal.TreeNode.Metadata;
import layerfd.client.objects.internal.TreeNode.Name;

/**
 * One import (api-contract §6): reads the layers base first with the extractor's tar reader, stores file content
 * as objects while it streams past, builds the merged tree in memory, and writes the image document LAST, under the
 * repository lock, through a temporary file, fsync and rename: a failed import leaves no document, and the objects it
 * wrote are harmless garbage a later import reuses. One engine runs one import.
 */
public final class ImportEngine {
    private final RepoLayout repo;
    private final ImportOptions options;
    /** Bytes of file content written into the document instead of objects. */
    private long bytesInlined;

    public ImportEngine(RepoLayout repo, ImportOptions options) {
        this.repo = repo;
        this.options = options;
    }

    public ImportStatistics run(ImageDescription image, List<LayerSource> layers) throws IOException {
        Path document = repo.document(image.id());
        repo.create();
        MergedTree tree = new MergedTree();
        Set<String> referenced = new HashSet<>();
        try (ObjectWriter objects = new ObjectWriter(repo, options.reflinkPolicy())) {
            for (int i = 0; i < layers.size(); i++) {
                String where = "image " + image.id() + ": layer " + (i + 1) + " of " + layers.size() + " ("
                        + layers.get(i).name() + ")";
                options.progress().layerStarted(i, layers.size(), layers.get(i).name());
                try {
                    importLayer(layers.get(i), i, tree, objects);
                } catch (IOException e) {
                    throw new ObjectStoreException(where + ": " + e.getMessage(), e);
                }
                options.progress().layerFinished(i, layers.size());
            }
            for (TreeNode node : tree.entries().values()) {
                if (node instanceof Name(Inode inode) && inode.digest != null) {
                    referenced.add(inode.digest);
                }
            }
            publishDocument(image, tree, referenced, document);
            return new ImportStatistics(objects.newObjects(), objects.presentObjects(), objects.bytesReflinked(),
                    objects.bytesCopied(), bytesInlined, tree.entries().size());
        }
    }

    private void importLayer(LayerSource source, int index, MergedTree tree, ObjectWriter objects)
            throws IOException {
        tree.startLayer();
        try (LayerInput input = source.opener().open(); TarReader reader = new TarReader(input)) {
            for (TarEntry e; (e = reader.next()) != null; ) {
                String entry = e.printablePath();
                EntryPath path = EntryPath.clean(e.path(), entry, "the path");
                if (MergedTree.isWhiteout(path)) {
                    tree.whiteout(path, entry);
                } else {
                    switch (e.type()) {
                        case DIRECTORY -> tree.directory(path, Metadata.of(e), entry);
                        case HARDLINK -> tree.hardlink(path, EntryPath.clean(e.linkTarget(), entry,
                                "the hardlink target"), entry);
                        case REGULAR -> tree.file(path, regularFile(e, entry, reader, objects), entry);
                        default -> tree.file(path, new Inode(e, null, null), entry);
                    }
                }
                options.progress().bytesRead(index, reader.offset());
            }
        }
    }

    /** Small content goes inline into the document, the rest into objects (an external fd or inline stream data). */
    private Inode regularFile(TarEntry e, String entry, TarReader reader, ObjectWriter objects)
            throws IOException {
        boolean small = e.size() <= ImageDocument.INLINE_LIMIT_BYTES;
        ExternalFile external = reader.takeExternalData();
        if (external != null) {
            try (external) {
                if (small) {
                    bytesInlined += e.size();
                    return new Inode(e, null, objects.read(external, (int) e.size(), entry));
                }
                return new Inode(e, objects.storeExternal(external, e.size(), entry), null);
            }
        }
        if (small) {
            bytesInlined += e.size();
            return new Inode(e, null, ObjectWriter.readInline(reader));
        }
        return new Inode(e, objects.storeInline(reader, e.size(), entry), null);
    }

    /** Under the lock: every object still there (a repair may have deleted one meanwhile), then the document. */
    private void publishDocument(ImageDescription image, MergedTree tree, Set<String> referenced, Path document)
            throws IOException {
        Path temp = RepoLayout.temp(repo.images());
        try (RepoLock lock = RepoLock.acquire(repo)) {
            for (String digest : referenced) {
                if (!Files.exists(repo.object(digest), LinkOption.NOFOLLOW_LINKS)) {
                    throw new ObjectStoreException("image " + image.id() + ": object " + digest + " vanished while "
                            + "the image was imported (a concurrent fsck --repair?); import it again");
                }
            }
            writeDocument(image, tree.entries(), temp);
            Files.move(temp, document, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(repo.images());
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void writeDocument(ImageDescription image, Map<String, TreeNode> entries, Path temp)
            throws IOException {
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream out = Channels.newOutputStream(ch);
            ImageDocumentWriter.write(new NonClosing(out), image, entries, Instant.now());
            out.flush();
            ch.force(true);
        }
    }

    /** fsync of a directory makes a rename in it durable. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** The JSON generator closes its stream; the channel must stay open for the fsync that follows. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
