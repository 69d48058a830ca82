package layerfd.server.rootless;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import layerfd.helper.HelperLaunch;
import layerfd.helper.UsernsHelper;
import layerfd.linux.FdInputStream;
import layerfd.linux.OwnedFd;
import layerfd.server.store.StoreLocation;
import layerfd.server.tarsplit.DirectoryFileOpener;
import layerfd.server.tarsplit.LayerFileOpener;

/**
 * A synthetic layer directory of many small files and one large one, all owned by a sub-uid with modes the owner
 * of the store cannot read ({@link RootlessHelperTest#makeTree}); opened and read in full either through the helper
 * (as the unprivileged user) or directly (as root), one file at a time, timed: the measurement in docs/rootless.md.
 */
final class RootlessTree {
    static final String BIG = "big.bin";
    private static final int FILES_PER_DIRECTORY = 100;

    private RootlessTree() {}

    /** The small files' names: d000/f00000 ... in directories of {@value #FILES_PER_DIRECTORY}. */
    static List<byte[]> names(int count) {
        List<byte[]> names = new ArrayList<>(count + 1);
        for (int i = 0; i < count; i++) {
            names.add(String.format("d%03d/f%05d", i / FILES_PER_DIRECTORY, i).getBytes());
        }
        names.add(BIG.getBytes());
        return names;
    }

    /** Driver scenario "tree": args {@code tree GRAPHROOT RUNROOT LAYERDIR COUNT BIG_SHA256}, as the user. */
    static void openAll(StoreLocation location, String[] args) throws Exception {
        Path layerDir = Path.of(args[3]);
        int count = Integer.parseInt(args[4]);
        try (UsernsHelper helper = new UsernsHelper(HelperLaunch.podmanUnshare(List.of(location.graphRoot())))) {
            long startNanos = System.nanoTime();
            helper.openLayerFiles(List.of(layerDir), List.of(names(1).getFirst())).forEach(fd -> fd.close());
            System.out.println("helper-start-ms " + (System.nanoTime() - startNanos) / 1_000_000);
            List<byte[]> names = names(count);
            StringBuilder line = new StringBuilder("helper");
            for (Pass pass : Pass.values()) {
                try (HelperFileOpener opener = new HelperFileOpener(helper, List.of(layerDir))) {
                    opener.prefetch(names);
                    Measured m = run(opener, names, pass);
                    if (pass.read) {
                        RootlessDriver.check(m.bigSha256.equals(args[5]), "big file sha256 " + m.bigSha256);
                    }
                    line.append(' ').append(pass.label).append("-ms ").append(m.millis);
                }
            }
            System.out.println(line + " files " + names.size());
        }
    }

    /** The same as root, directly; returns the line the test prints. */
    static String openAllDirectly(Path layerDir, int count) throws Exception {
        try (DirectoryFileOpener opener = new DirectoryFileOpener(layerDir)) {
            List<byte[]> names = names(count);
            StringBuilder line = new StringBuilder("direct");
            String sha = null;
            for (Pass pass : Pass.values()) {
                Measured m = run(opener, names, pass);
                sha = pass.read ? m.bigSha256 : sha;
                line.append(' ').append(pass.label).append("-ms ").append(m.millis);
            }
            return line + " files " + names.size() + " big-sha256 " + sha;
        }
    }

    /** The timed passes, in order: the first runs on a cold JVM (and, for the helper, a cold helper JVM). */
    private enum Pass {
        COLD_READ("cold-open+read", true), WARM_OPEN("warm-open", false), WARM_READ("warm-open+read", true);

        final String label;
        final boolean read;

        Pass(String label, boolean read) {
            this.label = label;
            this.read = read;
        }
    }

    private record Measured(long millis, String bigSha256) {}

    /** Opens every name in order, one file at a time as a stream builder would, and reads it in full if asked. */
    private static Measured run(LayerFileOpener opener, List<byte[]> names, Pass pass) throws Exception {
        long start = System.nanoTime();
        byte[] content = new byte[0];
        for (byte[] name : names) {
            try (OwnedFd fd = opener.open(name); FdInputStream in = new FdInputStream(fd)) {
                if (pass.read) {
                    content = in.readAllBytes();
                }
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        // The last name is the big file.
        return new Measured(millis, pass.read ? RootlessDriver.sha256(content) : null);
    }
}
