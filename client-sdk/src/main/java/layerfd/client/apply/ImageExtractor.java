package layerfd.client.apply;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import layerfd.client.apply.ApplyException.Reason;
import layerfd.client.apply.internal.DirectoryContents;
import layerfd.client.apply.internal.LayerApplyEngine;
import layerfd.linux.DirectoryEntries;
import layerfd.linux.FileIo;
import layerfd.linux.LinuxException;
import layerfd.linux.Open;
import layerfd.linux.OwnedFd;

/**
 * Extracts an image, its layers applied base first, into a destination directory that does not exist or is empty.
 * The work happens in place (a sibling directory renamed at the end would sit on another filesystem whenever the
 * destination is a mount point, and reflinks cannot cross filesystems). Until the last layer is in, the destination
 * holds the marker file {@value #INCOMPLETE_MARKER}; on failure everything written is removed again (the marker
 * last, so an interrupted cleanup still says "incomplete"), and a destination this call created is removed too.
 */
public final class ImageExtractor {
    /** Present in the destination's root exactly while an extraction is unfinished. */
    public static final String INCOMPLETE_MARKER = ".layerfd-incomplete";
    private static final byte[] MARKER_TEXT =
            "layerfd: extraction in progress or failed; this tree is incomplete\n".getBytes(StandardCharsets.UTF_8);
    private static final int MARKER_MODE = 0644;

    private ImageExtractor() {}

    /**
     * Applies {@code layers} (base first) into {@code destination}, opening each only when its turn comes and closing
     * it after. Returns the statistics summed over all layers.
     */
    public static ApplyStatistics extract(List<LayerSource> layers, Path destination, ApplyOptions options,
                                          ExtractProgress progress) throws IOException {
        boolean created = prepare(destination);
        ApplyStatistics total = ApplyStatistics.ZERO;
        try (OwnedFd root = LayerApplier.openRoot(destination)) {
            writeMarker(root);
            try {
                for (int i = 0; i < layers.size(); i++) {
                    total = total.plus(applyLayer(layers, i, root, options, progress));
                }
                DirectoryEntries.unlinkat(root.get(), INCOMPLETE_MARKER.getBytes(StandardCharsets.US_ASCII), 0);
                return total;
            } catch (IOException | RuntimeException e) {
                cleanUp(root, e);
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            if (created && !Files.exists(destination.resolve(INCOMPLETE_MARKER), LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.deleteIfExists(destination);
                } catch (IOException x) {
                    e.addSuppressed(x);
                }
            }
            throw e;
        }
    }

    private static ApplyStatistics applyLayer(List<LayerSource> layers, int i, OwnedFd root, ApplyOptions options,
                                              ExtractProgress progress) throws IOException {
        LayerSource source = layers.get(i);
        String where = "layer " + (i + 1) + " of " + layers.size() + " (" + source.name() + ")";
        progress.layerStarted(i, layers.size(), source.name());
        ApplyStatistics stats;
        try (LayerInput input = source.open()) {
            stats = new LayerApplyEngine(options, Set.of(INCOMPLETE_MARKER))
                    .apply(input, root, offset -> progress.bytesApplied(i, offset));
        } catch (ApplyException e) {
            throw new ApplyException(e.reason(), where + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ApplyException(Reason.IO, where + ": " + e.getMessage(), e);
        }
        progress.layerFinished(i, layers.size(), stats);
        return stats;
    }

    /** Creates the destination when absent (returns true), or checks that it is an empty directory. */
    private static boolean prepare(Path destination) throws IOException {
        if (!Files.exists(destination, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectory(destination);
            } catch (IOException e) {
                throw new ApplyException(Reason.DESTINATION, "cannot create the destination " + destination + ": "
                        + e, e);
            }
            return true;
        }
        try (OwnedFd dir = LayerApplier.openRoot(destination)) {
            List<String> names = DirectoryContents.names(dir);
            if (names.contains(INCOMPLETE_MARKER)) {
                throw new ApplyException(Reason.DESTINATION, "the destination " + destination + " holds an "
                        + "incomplete extraction (" + INCOMPLETE_MARKER + "); remove it first");
            }
            if (!names.isEmpty()) {
                throw new ApplyException(Reason.DESTINATION, "the destination " + destination + " is not empty ("
                        + names.size() + " entries)");
            }
        }
        return false;
    }

    private static void writeMarker(OwnedFd root) throws IOException {
        try (OwnedFd marker = Open.openat2(root.get(), INCOMPLETE_MARKER.getBytes(StandardCharsets.US_ASCII),
                Open.O_WRONLY | Open.O_CREAT | Open.O_EXCL | Open.O_NOFOLLOW | Open.O_CLOEXEC, MARKER_MODE, 0);
             Arena arena = Arena.ofConfined()) {
            FileIo.pwriteFully(marker.get(), arena.allocateFrom(ValueLayout.JAVA_BYTE, MARKER_TEXT), 0);
        }
    }

    /** Removes what the failed extraction wrote, the marker last; a cleanup failure rides along, suppressed. */
    private static void cleanUp(OwnedFd root, Exception failure) {
        try {
            DirectoryContents.removeAllBut(root, INCOMPLETE_MARKER);
            DirectoryEntries.unlinkat(root.get(), INCOMPLETE_MARKER.getBytes(StandardCharsets.US_ASCII), 0);
        } catch (LinuxException | RuntimeException x) {
            failure.addSuppressed(x);
        }
    }
}
