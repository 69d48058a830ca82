package layerfd.server.store.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import layerfd.server.store.ImageRecord;
import layerfd.server.store.LayerRecord;
import layerfd.server.store.StoreException;
import layerfd.server.store.StoreException.Kind;

/**
 * The records of one store tree, re-read only when needed: Go reloads when the lock file's last-write token differs
 * from the cached one or the JSON file's mtime changed (containers-storage.md §4 "Token", §0 step 3). Callers hold
 * the matching shared lock while calling, so what is read is consistent with that token.
 */
public final class PartRecords {
    private final StorePart part;
    private final LockFile layersLock;
    private final LockFile imagesLock;
    private Fingerprint layersSeen;
    private List<LayerRecord> layers = List.of();
    private Fingerprint imagesSeen;
    private List<ImageRecord> images = List.of();

    public PartRecords(StorePart part) throws StoreException {
        this.part = part;
        this.layersLock = LockFile.of(part.layersLock());
        this.imagesLock = LockFile.of(part.imagesLock());
    }

    public StorePart part() {
        return part;
    }

    public LockFile layersLock() {
        return layersLock;
    }

    public LockFile imagesLock() {
        return imagesLock;
    }

    /** The layer records (layers.json then volatile-layers.json); {@code token} from the held layers lock. */
    public synchronized List<LayerRecord> layers(byte[] token) throws StoreException {
        Fingerprint now = new Fingerprint(token, mtime(part.layersJson()), mtime(part.volatileLayersJson()));
        if (!now.equals(layersSeen)) {
            List<LayerRecord> all = new ArrayList<>(RecordParser.layers(read(part.layersJson()),
                    part.layersJson().toString(), part.root()));
            all.addAll(RecordParser.layers(read(part.volatileLayersJson()), part.volatileLayersJson().toString(),
                    part.root()));
            layers = List.copyOf(all);
            layersSeen = now;
        }
        return layers;
    }

    /** The image records; {@code token} from the held images lock. */
    public synchronized List<ImageRecord> images(byte[] token) throws StoreException {
        Fingerprint now = new Fingerprint(token, mtime(part.imagesJson()), null);
        if (!now.equals(imagesSeen)) {
            images = RecordParser.images(read(part.imagesJson()), part.imagesJson().toString(), part.root());
            imagesSeen = now;
        }
        return images;
    }

    /** A missing JSON file is an empty store, as in Go (nothing written yet). */
    private static byte[] read(Path json) throws StoreException {
        try {
            return Files.readAllBytes(json);
        } catch (NoSuchFileException e) {
            return new byte[0];
        } catch (IOException e) {
            throw new StoreException(Kind.IO_OR_INTEGRITY, "cannot read " + json + ": " + e, e);
        }
    }

    /** The modification time with the file system's precision (nanoseconds on ext4/xfs), null when absent. */
    private static FileTime mtime(Path json) throws StoreException {
        try {
            return Files.getLastModifiedTime(json, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new StoreException(Kind.IO_OR_INTEGRITY, "cannot stat " + json + ": " + e, e);
        }
    }

    /** What decides a reload: the token (opaque bytes) and the JSON files' mtimes (null: file absent). */
    private record Fingerprint(byte[] token, FileTime mainMtime, FileTime volatileMtime) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Fingerprint f && Arrays.equals(token, f.token)
                    && Objects.equals(mainMtime, f.mainMtime) && Objects.equals(volatileMtime, f.volatileMtime);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(token) * 31 + Objects.hash(mainMtime, volatileMtime);
        }
    }
}
