package layerfd.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Image resolution on the real fixture stores: id, name, prefix, digest, ambiguity, additional image stores. */
class ImageResolutionTest {

    private static <T> T withSnapshot(String store, SnapshotFunction<T> f) throws Exception {
        try (StoreSnapshot s = Store.open(Fixtures.location(store)).readLocked()) {
            return f.apply(s);
        }
    }

    interface SnapshotFunction<T> {
        T apply(StoreSnapshot s) throws Exception;
    }

    @Test
    void everyImageResolvesByIdBySha256IdAndByEachName() throws Exception {
        for (String store : List.of(Fixtures.ROOT_OVERLAY, Fixtures.ROOTLESS_VFS, Fixtures.AIS_BASE)) {
            withSnapshot(store, s -> {
                assertTrue(!s.images().isEmpty(), store + " has its images");
                for (ImageRecord image : s.images()) {
                    assertEquals(image.id(), s.resolveImage(image.id()).id());
                    assertEquals(image.id(), s.resolveImage("sha256:" + image.id()).id());
                    for (String name : image.names()) {
                        assertEquals(image.id(), s.resolveImage(name).id(), name);
                    }
                }
                return null;
            });
        }
    }

    @Test
    void fixtureNamesResolveToTheImagesPodmanRecorded() throws Exception {
        withSnapshot(Fixtures.ROOT_OVERLAY, s -> {
            ImageRecord base = s.resolveImage(Fixtures.BASE);
            assertEquals(List.of(Fixtures.BASE, Fixtures.BASE_ALIAS), base.names());
            assertEquals(base.id(), s.resolveImage(Fixtures.BASE_ALIAS).id());
            assertEquals(Fixtures.PREFIX_IMAGES_ROOT,
                    s.images().stream().filter(i -> i.names().getFirst().startsWith(Fixtures.PREFIX_REPO)).count());
            return null;
        });
    }

    @Test
    void shortestUniquePrefixOfEveryIdResolvesToThatImage() throws Exception {
        withSnapshot(Fixtures.ROOT_OVERLAY, s -> {
            List<String> ids = s.images().stream().map(ImageRecord::id).toList();
            for (String id : ids) {
                String prefix = shortestUniquePrefix(id, ids);
                assertEquals(id, s.resolveImage(prefix).id(), "prefix " + prefix);
            }
            return null;
        });
    }

    @Test
    void prefixSharedByTwoIdsIsAmbiguousAndListsBoth() throws Exception {
        withSnapshot(Fixtures.ROOT_OVERLAY, s -> {
            List<String> ids = s.images().stream().map(ImageRecord::id).sorted().toList();
            // 17+ images and 16 hex digits: some neighbours in sorted order share at least their first digit.
            String a = null;
            String b = null;
            for (int i = 1; i < ids.size() && a == null; i++) {
                if (ids.get(i).charAt(0) == ids.get(i - 1).charAt(0)) {
                    a = ids.get(i - 1);
                    b = ids.get(i);
                }
            }
            assertTrue(a != null, "two fixture image ids share a first hex digit: " + ids);
            String prefix = a.substring(0, commonPrefixLength(a, b));
            StoreException e = assertThrows(StoreException.class, () -> s.resolveImage(prefix));
            assertEquals(StoreException.Kind.AMBIGUOUS_PREFIX, e.kind());
            assertEquals(-32004, e.code());
            assertTrue(e.candidates().contains(a) && e.candidates().contains(b), e.candidates().toString());
            assertTrue(e.getMessage().contains("ambiguous") && e.getMessage().contains(a), e.getMessage());
            return null;
        });
    }

    @Test
    void manifestDigestResolvesWithAndWithoutRepository() throws Exception {
        withSnapshot(Fixtures.ROOT_OVERLAY, s -> {
            ImageRecord base = s.resolveImage(Fixtures.BASE);
            String digest = base.digest().orElseThrow();
            assertEquals(base.id(), s.resolveImage(digest).id());
            assertEquals(base.id(), s.resolveImage("localhost/layerfd/base@" + digest).id());
            StoreException wrongRepo = assertThrows(StoreException.class,
                    () -> s.resolveImage("localhost/other@" + digest));
            assertEquals(StoreException.Kind.IMAGE_NOT_FOUND, wrongRepo.kind());
            assertTrue(base.manifestDigests().contains(digest));
            return null;
        });
    }

    @Test
    void unknownAndShortNamesAreImageNotFoundNamingTheReference() throws Exception {
        withSnapshot(Fixtures.ROOT_OVERLAY, s -> {
            for (String ref : List.of("localhost/layerfd/nope:1", "layerfd/base:1", "base", "zzzz", "")) {
                StoreException e = assertThrows(StoreException.class, () -> s.resolveImage(ref), ref);
                assertEquals(StoreException.Kind.IMAGE_NOT_FOUND, e.kind(), ref);
                assertEquals(-32001, e.code());
                assertTrue(e.getMessage().contains("'" + ref + "'") || ref.isEmpty(), e.getMessage());
            }
            return null;
        });
    }

    @Test
    void additionalImageStoreIsSearchedAfterThePrimary() throws Exception {
        StoreLocation ais = Fixtures.location(Fixtures.AIS_BASE);
        withSnapshot(Fixtures.WITH_AIS, s -> {
            ImageRecord derived = s.resolveImage(Fixtures.DERIVED);
            assertEquals(Fixtures.location(Fixtures.WITH_AIS).graphRoot(), derived.store());
            // The primary holds a duplicate of base's record (podman copied it there to add base:primary) ...
            ImageRecord primaryCopy = s.resolveImage(Fixtures.BASE_PRIMARY);
            assertEquals(Fixtures.location(Fixtures.WITH_AIS).graphRoot(), primaryCopy.store());
            // ... so base's old name, found only in the read-only store, is ignored, as Go's store.Image does.
            StoreException e = assertThrows(StoreException.class, () -> s.resolveImage(Fixtures.BASE));
            assertEquals(StoreException.Kind.IMAGE_NOT_FOUND, e.kind());
            // Listing shows each id once, the primary's record winning.
            assertEquals(2, s.images().size());
            assertEquals(ais.graphRoot(), s.layer(s.imageLayers(derived).getFirst().id()).store());
            return null;
        });
    }

    @Test
    void layerLookupIsByExactIdAndNamesTheMissingId() throws Exception {
        withSnapshot(Fixtures.ROOT_OVERLAY, s -> {
            LayerRecord any = s.layers().getFirst();
            assertEquals(any, s.layer(any.id()));
            assertEquals(any, s.layer("sha256:" + any.id()));
            String missing = "0".repeat(64);
            StoreException e = assertThrows(StoreException.class, () -> s.layer(missing));
            assertEquals(StoreException.Kind.LAYER_NOT_FOUND, e.kind());
            assertEquals(-32000, e.code());
            assertTrue(e.getMessage().contains(missing), e.getMessage());
            assertEquals(StoreException.Kind.LAYER_NOT_FOUND,
                    assertThrows(StoreException.class, () -> s.layer(any.id().substring(0, 12))).kind());
            return null;
        });
    }

    static String shortestUniquePrefix(String id, List<String> ids) {
        for (int n = 1; n <= id.length(); n++) {
            String p = id.substring(0, n);
            if (ids.stream().filter(i -> i.startsWith(p)).count() == 1) {
                return p;
            }
        }
        return id;
    }

    private static int commonPrefixLength(String a, String b) {
        int n = 0;
        while (n < a.length() && a.charAt(n) == b.charAt(n)) {
            n++;
        }
        return n;
    }
}
