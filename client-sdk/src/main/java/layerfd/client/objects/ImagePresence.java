package layerfd.client.objects;

import java.io.IOException;

/**
 * Whether an image still exists in containers-storage (the CLI asks the server); fsck reports a document whose
 * image is gone.
 */
@FunctionalInterface
public interface ImagePresence {
    /** Not asked: every image counts as present. */
    ImagePresence UNKNOWN = imageId -> true;

    boolean exists(String imageId) throws IOException;
}
