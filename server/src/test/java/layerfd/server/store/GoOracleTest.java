package layerfd.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import layerfd.server.tarsplit.AssemblyResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java reader agrees with go.podman.io/storage (the library podman is built on) on every fixture image: the
 * images and their names, how references resolve, each layer chain, and every layer's rebuilt digest and size.
 */
class GoOracleTest {
    @TempDir
    Path tmp;

    @Test
    void javaAgreesWithGoOnTheRootOverlayStore() throws Exception {
        compare(Fixtures.location(Fixtures.ROOT_OVERLAY), Fixtures.copy(Fixtures.ROOT_OVERLAY, tmp));
    }

    @Test
    void javaAgreesWithGoOnTheRootlessVfsStore() throws Exception {
        compare(Fixtures.location(Fixtures.ROOTLESS_VFS), Fixtures.copy(Fixtures.ROOTLESS_VFS, tmp));
    }

    @Test
    void javaAgreesWithGoOnAStoreWithAnAdditionalImageStore() throws Exception {
        StoreLocation ais = Fixtures.copy(Fixtures.AIS_BASE, tmp);
        StoreLocation primary = Fixtures.copy(Fixtures.WITH_AIS, tmp);
        StoreLocation copy = new StoreLocation(primary.graphRoot(), primary.runRoot(), primary.driver(),
                Optional.empty(), List.of(ais.graphRoot()), false, List.of());
        compare(Fixtures.location(Fixtures.WITH_AIS), copy);
    }

    /** What the Java reader says about one image. */
    private record JavaImage(List<String> names, List<String> chain, List<AssemblyResult> rebuilt) {}

    private void compare(StoreLocation original, StoreLocation copy) throws Exception {
        Map<String, JavaImage> java = new LinkedHashMap<>();
        List<String> refs;
        Map<String, Optional<String>> javaResolved = new LinkedHashMap<>();
        try (StoreSnapshot s = Store.open(original).readLocked()) {
            for (ImageRecord image : s.images()) {
                List<String> chain = new ArrayList<>();
                List<AssemblyResult> rebuilt = new ArrayList<>();
                for (LayerRecord layer : s.imageLayers(image)) {
                    chain.add(layer.id());
                    try (LayerContent content = s.openLayer(layer)) {
                        rebuilt.add(content.reassemble(OutputStream.nullOutputStream()));
                    }
                }
                java.put(image.id(), new JavaImage(image.names(), chain, rebuilt));
            }
            refs = references(s.images());
            for (String ref : refs) {
                try {
                    javaResolved.put(ref, Optional.of(s.resolveImage(ref).id()));
                } catch (StoreException e) {
                    assertTrue(e.kind() == StoreException.Kind.IMAGE_NOT_FOUND
                            || e.kind() == StoreException.Kind.AMBIGUOUS_PREFIX, ref + ": " + e.getMessage());
                    javaResolved.put(ref, Optional.empty());
                }
            }
        }
        JsonNode go = GoOracle.run(copy, refs);

        // Go's store.Images() lists a read-only copy of a primary image again; the first (primary) one counts.
        Map<String, JsonNode> goImages = new LinkedHashMap<>();
        go.path("images").forEach(i -> goImages.putIfAbsent(i.path("id").asText(), i));
        assertEquals(List.copyOf(java.keySet()), List.copyOf(goImages.keySet()), "image ids, in order");
        for (var e : java.entrySet()) {
            JsonNode g = goImages.get(e.getKey());
            String what = "image " + e.getKey() + " " + e.getValue().names();
            assertEquals("", g.path("error").asText(""), what);
            assertEquals(e.getValue().names(), strings(g.path("names")), what + " names");
            List<String> goChain = new ArrayList<>();
            g.path("chain").forEach(layer -> goChain.add(layer.path("id").asText()));
            assertEquals(e.getValue().chain(), goChain, what + " chain");
            for (int i = 0; i < goChain.size(); i++) {
                JsonNode layer = g.path("chain").get(i);
                AssemblyResult mine = e.getValue().rebuilt().get(i);
                assertEquals("", layer.path("error").asText(""), what + " layer " + i);
                assertEquals(layer.path("rebuiltDigest").asText(), mine.sha256Digest(), what + " layer " + i);
                assertEquals(layer.path("rebuiltSize").asLong(), mine.size(), what + " layer " + i);
                assertEquals(layer.path("diffDigest").asText(), mine.sha256Digest(), what + " diff-digest");
            }
        }

        assertEquals(refs.size(), go.path("refs").size());
        int resolved = 0;
        int refused = 0;
        for (JsonNode r : go.path("refs")) {
            String ref = r.path("ref").asText();
            Optional<String> goId = r.hasNonNull("id") ? Optional.of(r.path("id").asText()) : Optional.empty();
            if (!javaResolved.containsKey(ref)) {
                fail("oracle answered an unknown reference " + ref);
            }
            assertEquals(goId, javaResolved.get(ref), "resolution of '" + ref + "' (Go: " + r + ")");
            if (goId.isPresent()) {
                resolved++;
            } else {
                refused++;
            }
        }
        assertTrue(resolved > 0 && refused > 0, resolved + " resolved, " + refused + " refused");
    }

    /** Ids, sha256:ids, names, shortest unique prefixes, digests, ambiguous prefixes, unknown names. */
    private static List<String> references(List<ImageRecord> images) {
        Set<String> refs = new LinkedHashSet<>();
        List<String> ids = images.stream().map(ImageRecord::id).toList();
        for (ImageRecord image : images) {
            refs.add(image.id());
            refs.add("sha256:" + image.id());
            refs.addAll(image.names());
            refs.add(ImageResolutionTest.shortestUniquePrefix(image.id(), ids));
            image.digest().ifPresent(d -> {
                refs.add(d);
                if (!image.names().isEmpty()) {
                    String name = image.names().getFirst();
                    refs.add(name.substring(0, name.lastIndexOf(':')) + "@" + d);
                }
            });
        }
        for (String a : ids) {
            for (String b : ids) {
                if (a.compareTo(b) < 0 && a.charAt(0) == b.charAt(0)) {
                    int n = 0;
                    while (a.charAt(n) == b.charAt(n)) {
                        n++;
                    }
                    refs.add(a.substring(0, n));
                }
            }
        }
        refs.addAll(List.of(Fixtures.BASE, "localhost/layerfd/nope:1", "layerfd/base:1", "sha256:" + "0".repeat(64)));
        assertFalse(refs.isEmpty());
        return List.copyOf(refs);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
