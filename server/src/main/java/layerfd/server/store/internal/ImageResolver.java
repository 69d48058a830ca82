package layerfd.server.store.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import layerfd.server.store.ImageRecord;
import layerfd.server.store.StoreException;
import layerfd.server.store.StoreException.Kind;

/**
 * Finds an image the way Go does (containers-storage.md §7 "Names, IDs and digests"): per store, primary first,
 * exact id, then exact name, then a unique id prefix; then by manifest digest. Short names are not expanded (that
 * is libimage's job, not the store's); a {@code sha256:} prefix is stripped for id lookups as libimage does.
 */
public final class ImageResolver {
    /** How many candidates an ambiguous-prefix error lists. */
    public static final int AMBIGUOUS_CANDIDATES_SHOWN = 5;

    private static final String SHA256 = "sha256:";
    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");
    private static final Pattern DIGEST_REF = Pattern.compile("(?:(.+)@)?(sha256:[0-9a-f]{64})");

    private ImageResolver() {}

    public static ImageRecord resolve(StoreView view, String reference) throws StoreException {
        if (reference == null || reference.isEmpty()) {
            throw new StoreException(Kind.IMAGE_NOT_FOUND, "empty image reference");
        }
        String idKey = reference.startsWith(SHA256) && HEX.matcher(reference.substring(SHA256.length())).matches()
                ? reference.substring(SHA256.length()) : reference;
        List<String> ambiguous = null;
        for (PartView part : view.parts()) {
            ImageRecord found = part.imageById(idKey);
            if (found == null) {
                found = part.imageByName(reference);
            }
            if (found == null && HEX.matcher(idKey).matches()) {
                // Go's truncindex: any non-empty prefix; several matches is ErrAmbiguousPrefix for this store.
                List<String> ids = part.imageIdsWithPrefix(idKey, AMBIGUOUS_CANDIDATES_SHOWN + 1);
                if (ids.size() == 1) {
                    found = part.imageById(ids.getFirst());
                } else if (ids.size() > 1 && ambiguous == null) {
                    ambiguous = ids;
                }
            }
            if (found == null) {
                continue; // Go's store.Image swallows a miss or an ambiguous prefix and asks the next store
            }
            if (!part.part().primary() && view.primary().imageById(found.id()) != null) {
                // Go store.Image: the primary store holds a copy of this image, so its names there are the truth;
                // a name matched in a read-only store was removed when the record was duplicated.
                continue;
            }
            return found;
        }
        if (ambiguous != null) {
            throw ambiguousPrefix(reference, ambiguous);
        }
        Matcher digestRef = DIGEST_REF.matcher(reference);
        if (digestRef.matches()) {
            return byDigest(view, reference, digestRef.group(1), digestRef.group(2));
        }
        throw new StoreException(Kind.IMAGE_NOT_FOUND, "no image with id, name or id prefix '" + reference
                + "' in the store at " + view.primary().part().root()
                + (view.parts().size() > 1 ? " or its " + (view.parts().size() - 1) + " other image store(s)" : ""));
    }

    /** Go's ImagesByDigest: {@code digest} or any {@code manifest*} big-data digest; a repository narrows it. */
    private static ImageRecord byDigest(StoreView view, String reference, String repository, String digest)
            throws StoreException {
        Map<String, ImageRecord> matches = new LinkedHashMap<>();
        for (ImageRecord image : view.images()) {
            if (image.manifestDigests().contains(digest) && (repository == null || inRepository(image, repository))) {
                matches.putIfAbsent(image.id(), image);
            }
        }
        if (matches.size() == 1) {
            return matches.values().iterator().next();
        }
        if (matches.size() > 1) {
            List<String> ids = new ArrayList<>(matches.keySet());
            throw StoreException.ambiguous("manifest digest '" + reference + "' matches " + ids.size()
                    + " images: " + shown(ids), shownList(ids));
        }
        throw new StoreException(Kind.IMAGE_NOT_FOUND, "no image with id, name or manifest digest '" + reference
                + "' in the store at " + view.primary().part().root());
    }

    private static boolean inRepository(ImageRecord image, String repository) {
        return image.names().stream().anyMatch(n -> n.equals(repository) || n.startsWith(repository + ":")
                || n.startsWith(repository + "@"));
    }

    private static StoreException ambiguousPrefix(String reference, List<String> ids) {
        return StoreException.ambiguous("image id prefix '" + reference + "' is ambiguous: it matches "
                + shown(ids), shownList(ids));
    }

    private static List<String> shownList(List<String> ids) {
        return List.copyOf(ids.subList(0, Math.min(ids.size(), AMBIGUOUS_CANDIDATES_SHOWN)));
    }

    private static String shown(List<String> ids) {
        String list = String.join(", ", shownList(ids));
        return ids.size() > AMBIGUOUS_CANDIDATES_SHOWN ? list + " and more" : list;
    }
}
