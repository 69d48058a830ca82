package layerfd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import layerfd.client.apply.ImageExtractor;
import layerfd.client.testing.TreeManifest;
import layerfd.server.store.Fixtures;
import layerfd.server.store.StoreLocation;
import layerfd.server.testing.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line against a REAL server process on a real podman-made store: images, inspect, export (byte-exact,
 * checked against the layer's diff-digest) and extract (checked against podman's own view of the image).
 */
class EndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path socket;
    static ServerProcess server;
    static StoreLocation store;

    @BeforeAll
    static void startServer() throws Exception {
        store = Fixtures.location(Fixtures.ROOT_OVERLAY);
        socket = dir.resolve("layerfd.sock");
        server = ServerProcess.start(socket, store);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static CliRun layerfd(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--socket", socket.toString()));
        return CliRun.of(all.toArray(String[]::new));
    }

    private static JsonNode json(String... args) throws Exception {
        CliRun r = layerfd(args);
        assertEquals(0, r.exit(), r.err());
        return JSON.readTree(r.out());
    }

    @Test
    void imagesListsTheStoresImagesWithTheirNames() throws Exception {
        JsonNode images = json("images", "--json").path("images");
        List<String> names = new ArrayList<>();
        images.forEach(i -> i.path("names").forEach(n -> names.add(n.asText())));
        assertTrue(names.containsAll(List.of(Fixtures.BASE, Fixtures.BIG, Fixtures.IMPORTED)), names.toString());
        CliRun text = layerfd("images");
        assertEquals(0, text.exit(), text.err());
        assertTrue(text.out().startsWith("IMAGE ID"), text.out());
        assertTrue(text.out().contains(Fixtures.BASE), text.out());
    }

    @Test
    void inspectGivesLayersBaseFirstAndUnknownImagesFailClearly() throws Exception {
        JsonNode derived = json("inspect", Fixtures.BASE, "--json");
        JsonNode layers = derived.path("layers");
        assertTrue(layers.size() >= 2, derived.toString());
        assertTrue(layers.get(0).path("parent").isNull() || layers.get(0).path("parent").isMissingNode()
                || layers.get(0).path("parent").asText().isEmpty(), "the first layer is the base: " + layers.get(0));
        for (int i = 1; i < layers.size(); i++) {
            assertEquals(layers.get(i - 1).path("id").asText(), layers.get(i).path("parent").asText());
        }
        CliRun missing = layerfd("inspect", "localhost/no/such:image");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().startsWith("layerfd inspect: InspectImage: "), missing.err());
        assertTrue(missing.err().contains("(-32001)"), missing.err());
    }

    @Test
    void exportWritesEveryLayerByteExact() throws Exception {
        for (String image : List.of(Fixtures.BASE, Fixtures.BIG)) {
            for (JsonNode layer : json("inspect", image, "--json").path("layers")) {
                Path tar = dir.resolve(layer.path("id").asText() + ".tar");
                CliRun r = layerfd("export", layer.path("id").asText(), "-o", tar.toString());
                assertEquals(0, r.exit(), r.err());
                assertTrue(r.err().contains("(matches the layer's diff-digest)"), r.err());
                assertEquals(layer.path("diffDigest").asText(), sha256(tar));
                assertEquals(layer.path("diffSize").asLong(), Files.size(tar));
                try (var siblings = Files.list(dir)) {
                    assertFalse(siblings.anyMatch(p -> p.getFileName().toString().endsWith(".partial")));
                }
                Files.delete(tar);
            }
        }
        CliRun unknown = layerfd("export", "0".repeat(64), "-o", dir.resolve("x.tar").toString());
        assertEquals(1, unknown.exit());
        assertTrue(unknown.err().contains("(-32000)"), unknown.err());
        assertFalse(Files.exists(dir.resolve("x.tar")));
    }

    /** A rename over a FIFO or a symlink would replace it (and over /dev/null, the device node: it happened). */
    @Test
    void exportIntoAFifoOrASymlinkWritesThroughThemAndReplacesNeither() throws Exception {
        JsonNode layer = json("inspect", Fixtures.BASE, "--json").path("layers").get(0);
        String id = layer.path("id").asText();
        Path fifo = dir.resolve("export.fifo");
        Fixtures.run(dir, "mkfifo", fifo.toString());
        CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(in.readAllBytes()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        CliRun toFifo = layerfd("export", id, "-o", fifo.toString());
        assertEquals(0, toFifo.exit(), toFifo.err());
        assertEquals(layer.path("diffDigest").asText(), read.get(1, TimeUnit.MINUTES));
        assertTrue(Files.readAttributes(fifo, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther(),
                "still the FIFO");

        Path file = dir.resolve("linked.tar");
        Files.writeString(file, "old");
        Path link = Files.createSymbolicLink(dir.resolve("export.link"), file);
        CliRun toLink = layerfd("export", id, "-o", link.toString());
        assertEquals(0, toLink.exit(), toLink.err());
        assertTrue(Files.isSymbolicLink(link), "still the symlink");
        assertEquals(layer.path("diffDigest").asText(), sha256(file));
        Files.delete(link);
        Files.delete(file);
        Files.delete(fifo);
    }

    @Test
    void extractEqualsPodmansOwnViewOfTheImage() throws Exception {
        Path dest = dir.resolve("rootfs");
        CliRun r = layerfd("extract", Fixtures.BASE, dest.toString(), "--verify", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode result = JSON.readTree(r.out());
        assertTrue(result.path("verified").asBoolean());
        assertFalse(Files.exists(dest.resolve(ImageExtractor.INCOMPLETE_MARKER)));

        StoreLocation copy = Fixtures.copy(Fixtures.ROOT_OVERLAY, Files.createDirectories(dir.resolve("podman-copy")));
        assertEquals(PodmanView.of(copy, Fixtures.BASE, dir), PodmanView.comparable(TreeManifest.of(dest)));
    }

    @Test
    void importDedupesAndFsckRepairsThroughTheServer() throws Exception {
        Path repo = dir.resolve("repo");
        CliRun first = layerfd("import", Fixtures.BASE, "--repo", repo.toString());
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.out().lines().anyMatch(l -> l.matches("\\d+ new \\+ 0 already present objects; .* reflinked, "
                + ".* copied, .* inlined")), first.out());
        JsonNode again = json("import", Fixtures.BASE, "--repo", repo.toString(), "--json");
        assertEquals(0, again.path("statistics").path("newObjects").asLong(), again.toString());
        assertTrue(again.path("statistics").path("presentObjects").asLong() > 0, again.toString());

        CliRun clean = layerfd("fsck", "--repo", repo.toString());
        assertEquals(0, clean.exit(), clean.out() + clean.err());

        List<Path> objects;
        try (var walk = Files.walk(repo.resolve("objects"))) {
            objects = walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .limit(2).toList();
        }
        assertEquals(2, objects.size(), "the image has at least two objects");
        Path deleted = objects.get(0);
        Path corrupted = objects.get(1);
        Files.delete(deleted);
        corrupted.toFile().setWritable(true);
        byte[] bytes = Files.readAllBytes(corrupted);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(corrupted, bytes);
        CliRun broken = layerfd("fsck", "--repo", repo.toString(), "--json");
        assertEquals(1, broken.exit(), broken.out() + broken.err());
        for (Path object : objects) {
            assertTrue(broken.out().contains(object.getParent().getFileName().toString() + object.getFileName()),
                    "the report names " + object + ": " + broken.out());
        }
        JSON.readTree(broken.out()); // one JSON document

        CliRun repaired = layerfd("fsck", "--repo", repo.toString(), "--repair");
        assertEquals(0, repaired.exit(), repaired.out() + repaired.err());
        assertTrue(Files.exists(deleted), "repair brought the deleted object back");
        assertEquals(deleted.getParent().getFileName().toString() + deleted.getFileName(),
                layerfd.client.objects.FsVerityDigest.of(Files.readAllBytes(deleted)).substring("sha256:".length()));
        assertEquals(corrupted.getParent().getFileName().toString() + corrupted.getFileName(),
                layerfd.client.objects.FsVerityDigest.of(Files.readAllBytes(corrupted)).substring("sha256:".length()),
                "repair replaced the corrupt object with the right content");
        assertEquals(0, layerfd("fsck", "--repo", repo.toString()).exit());
    }

    @Test
    void theDocumentedSdkExampleRunsAsWritten() throws Exception {
        Path example = Fixtures.repositoryRoot().resolve("docs/examples/ExportImage.java");
        Path out = dir.resolve("example-out");
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                example.toString(), socket.toString(), Fixtures.BASE, out.toString())
                .redirectErrorStream(true).start();
        String printed = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), printed);
        JsonNode layers = json("inspect", Fixtures.BASE, "--json").path("layers");
        assertEquals(layers.size(), printed.lines().count(), printed);
        for (JsonNode layer : layers) {
            String id = layer.path("id").asText();
            assertTrue(printed.contains(id + " " + layer.path("diffDigest").asText() + " " + layer.path("diffSize")),
                    printed);
            assertEquals(layer.path("diffDigest").asText(), sha256(out.resolve(id + ".tar")));
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
        }
        return "sha256:" + HexFormat.of().formatHex(d.digest());
    }
}
