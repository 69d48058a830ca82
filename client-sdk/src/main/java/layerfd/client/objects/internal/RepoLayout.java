package layerfd.client.objects.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Pattern;
import layerfd.client.objects.ObjectStoreException;

/**
 * Where things live in a repository (api-contract §6): {@code objects/XX/REST} named by the fs-verity digest's hex
 * (XX its first two characters), {@code images/<image id>.json}, the lock file {@code .lock}, and temporary files
 * {@code .tmp-<uuid>} beside their final directory, so a rename never crosses a filesystem. Paths are built only
 * from validated hex digests and validated image ids: nothing from a tar ever names a repository file.
 */
public final class RepoLayout {
    public static final String OBJECTS = "objects";
    public static final String IMAGES = "images";
    public static final String LOCK = ".lock";
    public static final String TEMP_PREFIX = ".tmp-";
    public static final String DOCUMENT_SUFFIX = ".json";
    public static final String DIGEST_PREFIX = "sha256:";
    /** Hex characters of a SHA-256 digest. */
    public static final int DIGEST_HEX_LENGTH = 64;
    /** Hex characters of the fan-out directory name. */
    public static final int FANOUT_LENGTH = 2;
    /** Longest image id accepted as a document name (a storage id is 64; room for other ids, below NAME_MAX). */
    public static final int MAX_IMAGE_ID_LENGTH = 128;

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{" + DIGEST_HEX_LENGTH + "}");
    private static final Pattern IMAGE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,"
            + (MAX_IMAGE_ID_LENGTH - 1) + "}");

    private final Path root;

    public RepoLayout(Path root) {
        this.root = root;
    }

    /** Creates the repository's directories where missing. */
    public void create() throws IOException {
        Files.createDirectories(objects());
        Files.createDirectories(images());
    }

    public Path root() {
        return root;
    }

    public Path objects() {
        return root.resolve(OBJECTS);
    }

    public Path images() {
        return root.resolve(IMAGES);
    }

    public Path lockFile() {
        return root.resolve(LOCK);
    }

    /** {@code objects/XX/REST} of a {@code sha256:<hex>} digest. */
    public Path object(String digest) {
        String hex = hex(digest);
        return objects().resolve(hex.substring(0, FANOUT_LENGTH)).resolve(hex.substring(FANOUT_LENGTH));
    }

    /** The hex of a well-formed {@code sha256:<64 lowercase hex>} digest; anything else is a programming error. */
    public static String hex(String digest) {
        if (!isDigest(digest)) {
            throw new IllegalArgumentException("not a sha256 digest: " + digest);
        }
        return digest.substring(DIGEST_PREFIX.length());
    }

    public static boolean isDigest(String digest) {
        return digest.startsWith(DIGEST_PREFIX) && HEX.matcher(digest.substring(DIGEST_PREFIX.length())).matches();
    }

    /** The digest an object file's fan-out directory and name spell, or {@code null} when they spell none. */
    public static String digestOfObjectName(String fanout, String rest) {
        String digest = DIGEST_PREFIX + fanout + rest;
        return fanout.length() == FANOUT_LENGTH && isDigest(digest) ? digest : null;
    }

    /** {@code images/<id>.json}; an id that cannot safely be a file name is refused, not rewritten. */
    public Path document(String imageId) throws ObjectStoreException {
        return images().resolve(documentName(imageId));
    }

    public static String documentName(String imageId) throws ObjectStoreException {
        // Rejected rather than sanitised: two ids rewritten to one name would share (and overwrite) a document.
        if (!IMAGE_ID.matcher(imageId).matches()) {
            throw new ObjectStoreException("image id '" + imageId + "' cannot name an image document: it must be "
                    + "1 to " + MAX_IMAGE_ID_LENGTH + " letters, digits, '.', '_' or '-', not starting with '.', "
                    + "'_' or '-'");
        }
        return imageId + DOCUMENT_SUFFIX;
    }

    /** The image id a document file name spells, or {@code null} for a file that is no document. */
    public static String imageIdOfDocument(String fileName) {
        if (!fileName.endsWith(DOCUMENT_SUFFIX)) {
            return null;
        }
        String id = fileName.substring(0, fileName.length() - DOCUMENT_SUFFIX.length());
        return IMAGE_ID.matcher(id).matches() ? id : null;
    }

    /** A fresh temporary name in {@code dir}, never an object or document name. */
    public static Path temp(Path dir) {
        return dir.resolve(TEMP_PREFIX + UUID.randomUUID());
    }
}
