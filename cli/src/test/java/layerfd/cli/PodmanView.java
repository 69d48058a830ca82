package layerfd.cli;

import java.nio.file.Path;
import layerfd.client.testing.TreeManifest;
import layerfd.server.store.Fixtures;
import layerfd.server.store.StoreLocation;

/** podman's own mounted view of an image, as a tree manifest: the oracle for `layerfd extract`. */
final class PodmanView {
    private PodmanView() {}

    /**
     * Mounts {@code image} of {@code copy} with `podman image mount` and returns the comparable manifest of what
     * podman shows. {@code copy} must be a private copy of a fixture store: podman writes to the stores it uses.
     */
    static String of(StoreLocation copy, String image, Path workDir) {
        // libpod's database remembers the directory the store was made in; podman makes a new one for the copy.
        Fixtures.run(workDir, "rm", "-rf", copy.graphRoot().resolve("libpod").toString());
        // No --runroot: podman refuses one longer than 50 characters, and the fixture scripts made the store without.
        String[] podman = {"podman", "--root", copy.graphRoot().toString(), "--storage-driver", copy.driver()};
        String mounted = Fixtures.run(workDir, concat(podman, "image", "mount", image)).trim();
        try {
            return comparable(TreeManifest.of(Path.of(mounted)));
        } finally {
            Fixtures.run(workDir, concat(podman, "image", "unmount", image));
        }
    }

    /**
     * A manifest less two things overlayfs shows that are not the image's: the root directory (overlay shows the
     * top layer's diff directory, whose mode containers-storage chose, when that layer's tar has no "./" entry) and
     * link counts (a merged view reports the lower inode's count, which still includes names that an upper layer's
     * whiteout removed). Hardlink identity is still compared ("inode-of").
     */
    static String comparable(String manifest) {
        return manifest.lines().filter(l -> !l.startsWith(". ")).map(l -> l.replaceAll(" nlink=\\d+", ""))
                .reduce("", (a, b) -> a + b + "\n");
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
