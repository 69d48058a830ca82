package layerfd.server.store.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import layerfd.server.store.ImageRecord;
import layerfd.server.store.StoreException;
import layerfd.server.store.StoreException.Kind;

/**
 * Reads an image's big-data items (containers-storage.md §2.3) the way Go's {@code store.ImageBigData} does: the
 * first store, primary first, whose record of that image id lists the key. This matters when podman duplicated a
 * read-only store's image into the primary store to rename it: the duplicate carries no big data of its own.
 */
public final class ImageBigData {
    private ImageBigData() {}

    public static byte[] read(StoreView view, ImageRecord image, String key) throws StoreException {
        if (key == null || key.isEmpty()) {
            throw new StoreException(Kind.IO_OR_INTEGRITY, "image " + image.id() + ": empty big-data key");
        }
        for (PartView part : view.parts()) {
            ImageRecord record = part.imageById(image.id());
            if (record != null && record.bigDataNames().contains(key)) {
                String name = BigDataNames.baseName(key);
                if (!BigDataNames.isFileName(name)) {
                    throw new StoreException(Kind.IO_OR_INTEGRITY, "image " + image.id() + ": big-data key '" + key
                            + "' maps to '" + name + "', which is not a file name in the image's directory");
                }
                return read(part.part().imageDir(image.id()).resolve(name), record, key);
            }
        }
        throw new StoreException(Kind.IO_OR_INTEGRITY, "image " + image.id() + " has no big-data item '" + key
                + "' in any store");
    }

    private static byte[] read(Path file, ImageRecord record, String key) throws StoreException {
        byte[] data;
        try (SeekableByteChannel channel = Files.newByteChannel(file, LinkOption.NOFOLLOW_LINKS)) {
            data = new byte[Math.toIntExact(channel.size())];
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining() && channel.read(buf) >= 0) {
                // until full: a file that shrank meanwhile fails the size check below
            }
        } catch (NoSuchFileException e) {
            throw new StoreException(Kind.IO_OR_INTEGRITY, "image " + record.id() + ": big-data item '" + key
                    + "' is recorded but " + file + " is missing", e);
        } catch (IOException | ArithmeticException e) {
            throw new StoreException(Kind.IO_OR_INTEGRITY, "image " + record.id() + ": cannot read big-data item '"
                    + key + "' from " + file + ": " + e, e);
        }
        Long recorded = record.bigDataSizes().get(key);
        if (recorded != null && recorded != data.length) {
            throw new StoreException(Kind.IO_OR_INTEGRITY, "image " + record.id() + ": big-data item '" + key + "' in "
                    + file + " is " + data.length + " bytes, its record says " + recorded);
        }
        return data;
    }
}
