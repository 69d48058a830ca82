package layerfd.server.rootless;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import layerfd.helper.HelperException;
import layerfd.helper.HelperLaunch;
import layerfd.helper.HelperProtocol;
import layerfd.helper.OpenResult;
import layerfd.helper.UsernsHelper;
import layerfd.linux.Capabilities;
import layerfd.linux.FdInputStream;
import layerfd.server.store.LayerContent;
import layerfd.server.store.LayerRecord;
import layerfd.server.store.Store;
import layerfd.server.store.StoreLocation;
import layerfd.server.store.StoreSnapshot;
import layerfd.server.tarsplit.AssemblyResult;
import layerfd.server.tarsplit.ExpectedLayer;
import layerfd.server.tarsplit.LayerAssembler;
import layerfd.server.tarsplit.LayerPath;
import layerfd.testing.OpenFds;

/**
 * Runs as the unprivileged fixture user (started by {@link RootlessHelperTest} through runuser) and exercises the
 * helper for real: under podman unshare, against a rootless store the user cannot read. Prints one line per fact
 * and "PASS scenario" at the end; any failure is an exception and a non-zero exit.
 * <pre>RootlessDriver stream-all|refuse|kill|orphan|tree GRAPHROOT RUNROOT [tree args]</pre>
 */
public final class RootlessDriver {
    private static final long KILL_WAIT_SECONDS = 30;
    private static final long POLL_MILLIS = 10;
    /** The store, opened once before the descriptor baseline. */
    private static Store store;

    private RootlessDriver() {}

    public static void main(String[] args) throws Exception {
        String scenario = args[0];
        StoreLocation location = new StoreLocation(Path.of(args[1]), Path.of(args[2]), StoreLocation.VFS,
                Optional.empty(), List.of(), true, List.of());
        check(!Capabilities.canBypassFilePermissions(), "the driver must run unprivileged");
        // One-time descriptors that are not leaks: the store's lock files (a Store keeps them for the process, as
        // a server does) and the JVM's random sources behind MessageDigest.
        if (!scenario.equals("tree")) {
            store = Store.open(location);
            store.readLocked().close();
        }
        sha256(new byte[0]);
        TreeSet<Integer> fdsBefore = OpenFds.snapshot();
        switch (scenario) {
            case "stream-all" -> streamAll(location);
            case "refuse" -> refuse(location);
            case "kill" -> kill(location);
            case "orphan" -> orphan(location);
            case "tree" -> RootlessTree.openAll(location, args);
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        }
        OpenFds.settle(fdsBefore.size());
        List<String> leaked = new ArrayList<>();
        for (int fd : OpenFds.snapshot()) {
            Path target;
            try {
                target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd));
            } catch (NoSuchFileException gone) {
                continue; // the directory descriptor that listed /proc/self/fd
            }
            // The class loader keeps each jar it loaded classes from open (and native libraries): not leaks.
            if (!fdsBefore.contains(fd) && !target.toString().endsWith(".jar") && !target.toString().endsWith(".so")) {
                leaked.add(fd + " -> " + target);
            }
        }
        check(leaked.isEmpty(), "descriptors leaked: " + leaked);
        System.out.println("PASS " + scenario);
        System.exit(0);
    }

    /** Every layer of the store, rebuilt byte-exact (diff-digest and diff-size checked) through the helper. */
    private static void streamAll(StoreLocation location) throws Exception {
        List<LayerContent> contents = new ArrayList<>();
        try (StoreSnapshot snapshot = store.readLocked()) {
            for (LayerRecord layer : snapshot.layers()) {
                contents.add(snapshot.openLayer(layer));
            }
        }
        try (ContentOpeners openers = ContentOpeners.forStore(location)) {
            check(openers.helperInUse(), "an unprivileged server must use the helper");
            for (LayerContent content : contents) {
                try (content) {
                    LayerRecord layer = content.layer();
                    ExpectedLayer expected = new ExpectedLayer(layer.diffDigest(), layer.diffSize());
                    try {
                        content.reassemble(OutputStream.nullOutputStream());
                        System.out.println("direct-readable " + layer.id());
                    } catch (IOException e) {
                        check(e.getCause() instanceof AccessDeniedException || e.getMessage().contains("EACCES"),
                                "direct read failed for another reason than permissions: " + e.getMessage());
                        System.out.println("direct-denied " + layer.id());
                    }
                    try (LayerFiles files = openers.opener(content)) {
                        AssemblyResult result = new LayerAssembler(files).assemble(content.openTarSplit(),
                                OutputStream.nullOutputStream(), expected);
                        System.out.println("streamed " + layer.id() + " " + result.sha256Digest() + " " + result.size()
                                + " bytes " + result.files() + " files");
                    }
                }
            }
            System.out.println("helper-pid " + openers.helper().orElseThrow().helperPid().orElseThrow());
        }
    }

    /** Asked directly: a directory outside the graph root, and names that climb or are absolute. */
    private static void refuse(StoreLocation location) throws Exception {
        try (UsernsHelper helper = new UsernsHelper(HelperLaunch.podmanUnshare(List.of(location.graphRoot())))) {
            for (Path outside : List.of(Path.of("/etc"), location.graphRoot().getParent(),
                    location.graphRoot().resolve("vfs-layers"))) {
                try {
                    helper.openLayerFiles(List.of(outside), List.of("passwd".getBytes()));
                    throw new AssertionError("directory " + outside + " was not refused");
                } catch (HelperException e) {
                    check(e.getMessage().contains("refused"), e.getMessage());
                    System.out.println("refused-directory " + outside);
                }
            }
            Path layerDir = firstLayerDirectory(location);
            List<OpenResult> results = helper.openLayerFiles(List.of(layerDir),
                    List.of("../../../../../../etc/passwd".getBytes(), "/etc/passwd".getBytes(),
                            "etc/shadow".getBytes()));
            try {
                check(results.get(0) instanceof OpenResult.Refused, "climbing name: " + results.get(0));
                check(results.get(1) instanceof OpenResult.Refused, "absolute name: " + results.get(1));
                check(results.get(2) instanceof OpenResult.Opened, "etc/shadow (mode 0000): " + results.get(2));
                System.out.println("refused-names 2 opened-shadow " + readAll(results.get(2)).trim());
            } finally {
                results.forEach(OpenResult::close);
            }
        }
    }

    /** Killed mid-request: a clear error, the next request works on a restarted helper, a second death is final. */
    private static void kill(StoreLocation location) throws Exception {
        Path layerDir = firstLayerDirectory(location);
        List<byte[]> names = Collections.nCopies(HelperProtocol.MAX_NAMES_PER_REQUEST,
                "home/user/secret".getBytes());
        try (UsernsHelper helper = new UsernsHelper(HelperLaunch.podmanUnshare(List.of(location.graphRoot())))) {
            helper.openLayerFiles(List.of(layerDir), names).forEach(OpenResult::close);
            long first = helper.helperPid().orElseThrow();
            var inFlight = CompletableFuture.supplyAsync(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        helper.openLayerFiles(List.of(layerDir), names).forEach(OpenResult::close);
                    }
                    return "no error";
                } catch (Exception e) {
                    return e.getMessage();
                }
            });
            Thread.sleep(200);
            killAndWait(helper, first);
            String error = inFlight.get(KILL_WAIT_SECONDS, TimeUnit.SECONDS);
            check(error.contains("died") && error.contains("pid " + first), "mid-request error: " + error);
            System.out.println("mid-request-error " + error);
            List<OpenResult> again = helper.openLayerFiles(List.of(layerDir), names);
            check(again.getFirst() instanceof OpenResult.Opened, "after restart: " + again.getFirst());
            System.out.println("after-restart " + readAll(again.getFirst()).trim());
            again.forEach(OpenResult::close);
            long second = helper.helperPid().orElseThrow();
            check(second != first, "the restarted helper has a new pid");
            killAndWait(helper, second);
            try {
                helper.openLayerFiles(List.of(layerDir), names).forEach(OpenResult::close);
                throw new AssertionError("a second death must not be restarted");
            } catch (HelperException e) {
                check(e.getMessage().contains("died again"), e.getMessage());
                System.out.println("second-death " + e.getMessage());
            }
        }
    }

    /** The server dies without closing anything: the helper must notice its socket closed and exit with podman. */
    private static void orphan(StoreLocation location) throws Exception {
        UsernsHelper helper = new UsernsHelper(HelperLaunch.podmanUnshare(List.of(location.graphRoot())));
        helper.openLayerFiles(List.of(firstLayerDirectory(location)), List.of("etc/hello".getBytes()))
                .forEach(OpenResult::close);
        System.out.println("helper-pid " + helper.helperPid().orElseThrow());
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    static Path firstLayerDirectory(StoreLocation location) throws Exception {
        try (StoreSnapshot snapshot = store.readLocked()) {
            for (LayerRecord layer : snapshot.layers()) {
                try (LayerContent content = snapshot.openLayer(layer)) {
                    for (byte[] name : ContentOpeners.contentFileNames(content)) {
                        if (Arrays.equals(LayerPath.clean(name), "etc/shadow".getBytes())) {
                            return content.contentDirectories().getFirst();
                        }
                    }
                }
            }
        }
        throw new AssertionError("no layer with etc/shadow in " + location.graphRoot());
    }

    /** Kills the helper and waits until the server side has seen its socket close (the death is observed). */
    private static void killAndWait(UsernsHelper helper, long pid) throws InterruptedException {
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no helper " + pid));
        handle.destroyForcibly();
        handle.onExit().orTimeout(KILL_WAIT_SECONDS, TimeUnit.SECONDS).join();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(KILL_WAIT_SECONDS);
        while (helper.isRunning() && System.nanoTime() < deadline) {
            Thread.sleep(POLL_MILLIS);
        }
        check(!helper.isRunning(), "the server did not notice the death of helper " + pid);
    }

    static String readAll(OpenResult result) throws IOException {
        try (FdInputStream in = new FdInputStream(((OpenResult.Opened) result).fd())) {
            return new String(in.readAllBytes());
        }
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
