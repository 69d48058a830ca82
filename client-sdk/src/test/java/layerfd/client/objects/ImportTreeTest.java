package layerfd.client.objects;

import static layerfd.client.objects.StoreFixtures.data;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import layerfd.client.apply.ApplyOptions;
import layerfd.client.apply.ExtractProgress;
import layerfd.client.apply.ImageExtractor;
import layerfd.client.apply.LayerSource;
import layerfd.client.testing.FdLeakCheck;
import layerfd.client.testing.Processes;
import layerfd.client.testing.TarSpec;
import layerfd.client.testing.TreeManifest;
import layerfd.linux.Credentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A multi-layer image imported into a store: the document is exactly the merged tree the extractor produces. */
@ExtendWith(FdLeakCheck.class)
class ImportTreeTest {
    private static final String BIG = data(1, 100_000);
    private static final String TOOL = data(2, 20_000);
    private static final String ORIGINAL = data(3, 10_000);
    private static final String MEDIUM = data(4, 1000);
    private static final String NON_UTF8_NAME = "hex:" + java.util.HexFormat.of()
            .formatHex("usr/caf\u00e9-".getBytes(StandardCharsets.ISO_8859_1)) + "ff";

    @TempDir
    Path work;

    static TarSpec base() {
        return TarSpec.pax()
                .dir("etc").with("mtime", 1500000000)
                .file("etc/hostname", "box\n")
                .file("etc/empty", "")
                .file("etc/big", BIG)
                .file("etc/medium", MEDIUM).with("mode", 0600)
                .dir("usr").pax("SCHILY.xattr.user.dir", "hex:01")
                .dir("usr/bin")
                .file("usr/bin/tool", TOOL).with("mode", 04755).with("uid", 1000).with("gid", 1001)
                .pax("mtime", "1600000000.123456789")
                .hardlink("usr/bin/tool-link", "usr/bin/tool")
                .symlink("usr/bin/sh", "tool")
                .file(NON_UTF8_NAME, "not utf-8 name")
                .add("fifo", "usr/pipe").with("mode", 0640)
                .file("usr/attr", data(5, 5000)).pax("SCHILY.xattr.user.key", "hex:00ff0a3d20")
                .dir("wh").file("wh/a", "a").file("wh/b", "b")
                .dir("opq").file("opq/old", "old").dir("opq/sub").file("opq/sub/x", "x")
                .file("replaced", data(6, 8000))
                .dir("data").file("data/orig", ORIGINAL).hardlink("data/link", "data/orig");
    }

    static TarSpec middle() {
        return TarSpec.pax()
                .dir("wh").file("wh/.wh.a", "")
                .dir("opq").file("opq/.wh..wh..opq", "").file("opq/new", "new")
                .dir("replaced").file("replaced/inner", "inner")
                .dir("data").file("data/orig", data(7, 9000))              // the link keeps the old content
                .dir("etc").file("etc/big-copy", BIG);                      // same content: one object
    }

    static TarSpec top() {
        return TarSpec.pax()
                .dir("etc").with("mtime", 1700000000).file("etc/.wh.hostname", "")
                .file("etc/medium", MEDIUM).with("mode", 0644).with("mtime", 1700000001);
    }

    @Test
    void documentListsExactlyTheMergedTreeTheExtractorWrites() throws IOException {
        assumeTrue(Credentials.effectiveUid() == 0, "owners and setuid bits need root to be extracted faithfully");
        List<LayerSource> layers = StoreFixtures.layers(work, base(), middle(), top());
        ObjectStore store = ObjectStore.at(work.resolve("repo"));

        ImportStatistics stats = store.importImage(StoreFixtures.image(StoreFixtures.imageId('a'), 3), layers,
                ImportOptions.defaults());
        Path dest = work.resolve("extracted");
        ImageExtractor.extract(layers, dest, ApplyOptions.defaults(), ExtractProgress.NONE);

        JsonNode doc = StoreFixtures.document(store, StoreFixtures.imageId('a'));
        assertEquals(TreeManifest.of(dest), StoreFixtures.manifest(store, doc));
        assertEquals(doc.get("entries").size(), stats.entries());
        // big (and its copy), tool, attr, replaced, both data/orig versions, medium (inline stream data > 64 B)
        assertEquals(7, stats.newObjects(), stats.toString());
        assertEquals(0, stats.presentObjects(), stats.toString());
        try (Stream<Path> documents = Files.list(store.repository().resolve("images"))) {
            assertEquals(List.of(StoreFixtures.imageId('a') + ".json"),
                    documents.map(p -> p.getFileName().toString()).toList(), "no temporary documents left");
        }
    }

    @Test
    void documentRecordsTheImageAndEncodesBytesSafely() throws IOException {
        ObjectStore store = ObjectStore.at(work.resolve("repo"));
        ImageDescription image = StoreFixtures.image(StoreFixtures.imageId('b'), 3);
        store.importImage(image, StoreFixtures.layers(work, base(), middle(), top()), ImportOptions.defaults());

        JsonNode doc = StoreFixtures.document(store, image.id());
        assertEquals("layerfd-image-document/1", doc.get("schema").asText());
        assertEquals(image.id(), doc.get("id").asText());
        assertEquals("localhost/" + image.id() + ":latest", doc.get("names").get(0).asText());
        assertEquals(image.manifestDigest(), doc.get("manifestDigest").asText());
        assertEquals(image.configDigest(), doc.get("configDigest").asText());
        assertEquals(3, doc.get("layers").size());
        assertEquals("layer2", doc.get("layers").get(2).get("id").asText());
        assertEquals(image.layers().get(1).diffDigest(), doc.get("layers").get(1).get("diffDigest").asText());
        assertEquals(ObjectStore.INLINE_LIMIT, doc.get("inlineLimit").asInt());
        assertTrue(java.time.Instant.parse(doc.get("created").asText()).isAfter(java.time.Instant.EPOCH));

        JsonNode nonUtf8 = entry(doc, StoreFixtures.bytesOf(NON_UTF8_NAME));
        assertFalse(nonUtf8.has("path"), "a name that is not UTF-8 is no text field");
        assertEquals("not utf-8 name", new String(StoreFixtures.content(store, nonUtf8), StandardCharsets.UTF_8));
        JsonNode tool = entry(doc, "/usr/bin/tool".getBytes(StandardCharsets.UTF_8));
        assertEquals("file", tool.get("type").asText());
        assertEquals(04755, tool.get("mode").asInt());
        assertEquals(1000, tool.get("uid").asInt());
        assertEquals(1001, tool.get("gid").asInt());
        assertEquals(1600000000, tool.get("mtime").asLong());
        assertEquals(123456789, tool.get("mtimeNanos").asLong());
        assertEquals(20_000, tool.get("size").asLong());
        assertArrayEquals(StoreFixtures.bytesOf(TOOL), StoreFixtures.content(store, tool));
        JsonNode link = entry(doc, "/usr/bin/tool-link".getBytes(StandardCharsets.UTF_8));
        assertEquals("hardlink", link.get("type").asText());
        assertEquals("/usr/bin/tool", link.get("target").asText());
        JsonNode sh = entry(doc, "/usr/bin/sh".getBytes(StandardCharsets.UTF_8));
        assertEquals("symlink", sh.get("type").asText());
        assertEquals("tool", sh.get("target").asText());
        assertEquals(0777, sh.get("mode").asInt());
        JsonNode hostnameGone = entryOrNull(doc, "/etc/hostname".getBytes(StandardCharsets.UTF_8));
        assertEquals(null, hostnameGone, "whited out in the top layer");
        JsonNode empty = entry(doc, "/etc/empty".getBytes(StandardCharsets.UTF_8));
        assertEquals("", empty.get("inline").asText());
        assertEquals(0, empty.get("size").asLong());
        JsonNode attr = entry(doc, "/usr/attr".getBytes(StandardCharsets.UTF_8));
        assertEquals("AP8KPSA=", attr.get("xattrs").get("user.key").asText()); // base64 of 00 ff 0a 3d 20
        assertEquals("fifo", entry(doc, "/usr/pipe".getBytes(StandardCharsets.UTF_8)).get("type").asText());
        JsonNode link2 = entry(doc, "/data/link".getBytes(StandardCharsets.UTF_8));
        assertEquals("file", link2.get("type").asText(), "the link outlives the name it was made from");
        assertArrayEquals(StoreFixtures.bytesOf(ORIGINAL), StoreFixtures.content(store, link2));
        JsonNode big = entry(doc, "/etc/big".getBytes(StandardCharsets.UTF_8));
        JsonNode copy = entry(doc, "/etc/big-copy".getBytes(StandardCharsets.UTF_8));
        assertEquals(big.get("digest"), copy.get("digest"));
    }

    @Test
    void devicesAreListedWithTheirNumbers() throws IOException {
        ObjectStore store = ObjectStore.at(work.resolve("repo"));
        String id = StoreFixtures.imageId('d');
        store.importImage(StoreFixtures.image(id, 1), StoreFixtures.layers(work, TarSpec.pax()
                .dir("dev").add("char", "dev/null").with("major", 1).with("minor", 3).with("mode", 0666)
                .add("block", "dev/loop0").with("major", 7).with("minor", 0)), ImportOptions.defaults());

        JsonNode doc = StoreFixtures.document(store, id);
        JsonNode nul = entry(doc, "/dev/null".getBytes(StandardCharsets.UTF_8));
        assertEquals("char", nul.get("type").asText());
        assertEquals(1, nul.get("major").asInt());
        assertEquals(3, nul.get("minor").asInt());
        assertEquals(0666, nul.get("mode").asInt());
        JsonNode loop = entry(doc, "/dev/loop0".getBytes(StandardCharsets.UTF_8));
        assertEquals("block", loop.get("type").asText());
        assertEquals(7, loop.get("major").asInt());
        assertEquals(List.of("/", "/dev", "/dev/loop0", "/dev/null"), paths(doc));
    }

    @Test
    void everyObjectIsNamedByTheFsVerityDigestOfItsContentAndReadOnly() throws IOException {
        ObjectStore store = ObjectStore.at(work.resolve("repo"));
        store.importImage(StoreFixtures.image(StoreFixtures.imageId('e'), 3),
                StoreFixtures.layers(work, base(), middle(), top()), ImportOptions.defaults());

        List<Path> objects;
        try (Stream<Path> walk = Files.walk(store.repository().resolve("objects"))) {
            objects = walk.filter(Files::isRegularFile).sorted().toList();
        }
        assertEquals(7, objects.size());
        int oracle = 0;
        for (Path object : objects) {
            String name = "sha256:" + object.getParent().getFileName() + object.getFileName();
            assertEquals(name, FsVerityDigest.of(Files.readAllBytes(object)), object.toString());
            assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(object)));
            if (oracle < 3 && Files.isExecutable(Path.of("/usr/bin/fsverity"))) {
                assertEquals(name, "sha256:" + Processes.check("/usr/bin/fsverity", "digest", "--hash-alg=sha256",
                        "--block-size=4096", "--compact", object.toString()).trim());
                oracle++;
            }
        }
    }

    @Test
    void importingTwiceFindsEveryObjectAlreadyPresent() throws IOException {
        ObjectStore store = ObjectStore.at(work.resolve("repo"));
        List<LayerSource> layers = StoreFixtures.layers(work, base(), middle(), top());
        ImageDescription image = StoreFixtures.image(StoreFixtures.imageId('f'), 3);

        ImportStatistics first = store.importImage(image, layers, ImportOptions.defaults());
        byte[] firstDoc = Files.readAllBytes(store.documentPath(image.id()));
        ImportStatistics second = store.importImage(image, layers, ImportOptions.defaults());

        assertEquals(7, first.newObjects());
        assertEquals(0, second.newObjects(), second.summary());
        assertEquals(7, second.presentObjects(), second.summary());
        assertEquals(0, second.bytesCopied() + second.bytesReflinked(), second.summary());
        assertEquals(first.bytesInlined(), second.bytesInlined());
        assertEquals(first.entries(), second.entries());
        assertTrue(first.bytesCopied() >= 100_000 + 20_000 + 10_000 + 9000 + 8000 + 5000 + 1000, first.summary());
        assertEquals(entriesWithoutCreated(firstDoc), entriesWithoutCreated(
                Files.readAllBytes(store.documentPath(image.id()))));
    }

    @Test
    void twoImagesSharingFilesShareObjects() throws IOException {
        ObjectStore store = ObjectStore.at(work.resolve("repo"));
        ImportStatistics first = store.importImage(StoreFixtures.image(StoreFixtures.imageId('1'), 1),
                StoreFixtures.layers(work, TarSpec.pax().file("shared", BIG).file("own1", data(8, 5000))),
                ImportOptions.defaults());
        ImportStatistics second = store.importImage(StoreFixtures.image(StoreFixtures.imageId('2'), 1),
                StoreFixtures.layers(work, TarSpec.pax().file("copy-of-shared", BIG).file("own2", data(9, 5000))),
                ImportOptions.defaults());

        assertEquals(2, first.newObjects());
        assertEquals(1, second.newObjects(), second.summary());
        assertEquals(1, second.presentObjects(), second.summary());
        assertEquals(5000, second.bytesCopied(), "only the new object's bytes are written");
        Set<String> all = new HashSet<>();
        all.addAll(StoreFixtures.digests(StoreFixtures.document(store, StoreFixtures.imageId('1'))));
        all.addAll(StoreFixtures.digests(StoreFixtures.document(store, StoreFixtures.imageId('2'))));
        assertEquals(3, all.size());
    }

    @Test
    void progressHearsEveryLayer() throws IOException {
        List<String> heard = new ArrayList<>();
        long[] lastBytes = {0};
        ImportProgress progress = new ImportProgress() {
            @Override
            public void layerStarted(int index, int count, String name) {
                heard.add("start " + index + "/" + count + " " + name);
            }

            @Override
            public void bytesRead(int index, long tarBytes) {
                lastBytes[0] = tarBytes;
            }

            @Override
            public void layerFinished(int index, int count) {
                heard.add("done " + index);
            }
        };
        ObjectStore.at(work.resolve("repo")).importImage(StoreFixtures.image(StoreFixtures.imageId('p'), 2),
                StoreFixtures.layers(work, TarSpec.pax().file("a", BIG), TarSpec.pax().file("b", "b")),
                ImportOptions.defaults().withProgress(progress));

        assertEquals(List.of("start 0/2 layer0", "done 0", "start 1/2 layer1", "done 1"), heard);
        assertEquals(512 + 1, lastBytes[0], "layer1 after its only entry: one header and one data byte");
    }

    static JsonNode entry(JsonNode doc, byte[] path) {
        JsonNode e = entryOrNull(doc, path);
        assertTrue(e != null, "no entry " + new String(path, StandardCharsets.ISO_8859_1));
        return e;
    }

    static JsonNode entryOrNull(JsonNode doc, byte[] path) {
        for (JsonNode e : doc.get("entries")) {
            byte[] p = StoreFixtures.path(e);
            if (java.util.Arrays.equals(p, path) || java.util.Arrays.equals(p, concat("/", path))) {
                return e;
            }
        }
        return null;
    }

    private static byte[] concat(String prefix, byte[] path) {
        byte[] out = new byte[path.length + prefix.length()];
        System.arraycopy(prefix.getBytes(StandardCharsets.US_ASCII), 0, out, 0, prefix.length());
        System.arraycopy(path, 0, out, prefix.length(), path.length);
        return out;
    }

    static List<String> paths(JsonNode doc) {
        List<String> out = new ArrayList<>();
        doc.get("entries").forEach(e -> out.add(e.get("path").asText()));
        return out;
    }

    private static JsonNode entriesWithoutCreated(byte[] doc) throws IOException {
        JsonNode node = StoreFixtures.JSON.readTree(doc);
        ((com.fasterxml.jackson.databind.node.ObjectNode) node).remove("created");
        return node;
    }
}
