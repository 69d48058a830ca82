package layerfd.server.store.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import layerfd.server.store.LayerRecord;
import layerfd.server.store.StoreException;
import layerfd.server.store.StoreException.Kind;
import layerfd.server.store.StoreLocation;

/**
 * The directories a layer's files are looked up in, nearest first (containers-storage.md §3.3 "File getters"):
 * vfs: {@code vfs/dir/<id>/}; overlay: {@code overlay/<id>/diff}, then each lower layer's diff as listed in
 * {@code overlay/<id>/lower}. Each {@code l/<link>} entry is resolved by reading the symlink's text, which must be
 * exactly {@code ../<64 hex>/diff}; the link itself is never followed, so a planted link cannot point elsewhere.
 */
public final class DiffDirs {
    /** Overlay short links are 26 base32 characters; allow some slack but never a path. */
    private static final Pattern LOWER_ENTRY = Pattern.compile("l/([A-Z0-9]{1,64})");
    private static final Pattern LINK_TARGET = Pattern.compile("\\.\\./([0-9a-f]{64})/diff");
    /** A layer's own {@code lower} file is a few KiB even for deep chains (27 bytes per entry). */
    private static final long MAX_LOWER_FILE_BYTES = 1 << 20;

    private DiffDirs() {}

    public static List<Path> of(StoreView view, LayerRecord layer) throws StoreException {
        StorePart part = view.partOf(layer.store());
        if (part.driver().equals(StoreLocation.VFS)) {
            return List.of(directory(part.vfsLayerDir(layer.id()), layer));
        }
        Path layerDir = part.overlayLayerDir(layer.id());
        if (Files.exists(layerDir.resolve("additionallayer"), LinkOption.NOFOLLOW_LINKS)
                || Files.isSymbolicLink(layerDir.resolve("diff"))) {
            // §2.4 / §7: the content lives in an additional layer store (stargz-store and the like); Go streams the
            // store's blob instead of using tar-split. Not supported here.
            throw new StoreException(Kind.NOT_STREAMABLE, "layer " + layer.id() + " cannot be streamed byte-exact: "
                    + "its diff lives in an additional layer store (" + layerDir.resolve("diff") + " is a symlink)");
        }
        List<Path> dirs = new ArrayList<>();
        dirs.add(directory(layerDir.resolve("diff"), layer));
        for (String entry : lowerEntries(layerDir.resolve("lower"), layer)) {
            Matcher m = LOWER_ENTRY.matcher(entry);
            if (!m.matches()) {
                throw corrupt(layer, "lower entry '" + entry + "' is not l/<link>");
            }
            dirs.add(linkedDiff(view, part, m.group(1), layer));
            if (dirs.size() > LayerChain.MAX_DEPTH) {
                throw corrupt(layer, "more than " + LayerChain.MAX_DEPTH + " lower layers");
            }
        }
        return List.copyOf(dirs);
    }

    private static List<String> lowerEntries(Path lower, LayerRecord layer) throws StoreException {
        try {
            if (Files.size(lower) > MAX_LOWER_FILE_BYTES) {
                throw corrupt(layer, lower + " is larger than " + MAX_LOWER_FILE_BYTES + " bytes");
            }
            String text = Files.readString(lower, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? List.of() : List.of(text.split(":"));
        } catch (NoSuchFileException e) {
            return List.of(); // §2.4: a base layer has no lower file
        } catch (IOException e) {
            throw new StoreException(Kind.IO_OR_INTEGRITY, "cannot read " + lower + ": " + e, e);
        }
    }

    /** {@code l/<link>} in the layer's own store first, then in the others: a parent may be in another store. */
    private static Path linkedDiff(StoreView view, StorePart own, String link, LayerRecord layer)
            throws StoreException {
        List<StorePart> order = new ArrayList<>();
        order.add(own);
        view.parts().stream().map(PartView::part).filter(p -> !p.equals(own)).forEach(order::add);
        for (StorePart part : order) {
            Optional<String> target = readLink(part.overlayLinks().resolve(link));
            if (target.isEmpty()) {
                continue;
            }
            Matcher m = LINK_TARGET.matcher(target.get());
            if (!m.matches()) {
                throw corrupt(layer, "link " + part.overlayLinks().resolve(link) + " points to '" + target.get()
                        + "', not ../<layer id>/diff");
            }
            return directory(part.overlayLayerDir(m.group(1)).resolve("diff"), layer);
        }
        throw corrupt(layer, "lower entry l/" + link + " exists in no store's overlay/l/");
    }

    private static Optional<String> readLink(Path link) throws StoreException {
        try {
            return Optional.of(Files.readSymbolicLink(link).toString());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException(Kind.IO_OR_INTEGRITY, "cannot read link " + link + ": " + e, e);
        }
    }

    private static Path directory(Path dir, LayerRecord layer) throws StoreException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new StoreException(Kind.IO_OR_INTEGRITY, "layer " + layer.id() + ": content directory " + dir
                    + " is missing or not a directory");
        }
        return dir;
    }

    private static StoreException corrupt(LayerRecord layer, String what) {
        return new StoreException(Kind.IO_OR_INTEGRITY, "layer " + layer.id() + ": " + what);
    }
}
