package layerfd.client.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import layerfd.client.apply.ApplyException.Reason;
import layerfd.client.testing.FdLeakCheck;
import layerfd.client.testing.TarSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Whole-image extraction: destination rules, the incomplete marker, cleanup after failure, progress. */
@ExtendWith(FdLeakCheck.class)
class ImageExtractorTest {
    @TempDir
    Path work;
    final AtomicInteger opened = new AtomicInteger();

    private LayerSource layer(String name, TarSpec spec) {
        return new LayerSource(name, () -> {
            opened.incrementAndGet();
            return Layers.input(spec, work);
        });
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void extractsIntoANewDirectoryReportsProgressAndLeavesNoMarker() throws IOException {
        Path dest = work.resolve("new-dest");
        List<String> events = new ArrayList<>();
        ExtractProgress progress = new ExtractProgress() {
            @Override
            public void layerStarted(int index, int count, String name) {
                events.add("start " + index + "/" + count + " " + name);
            }

            @Override
            public void bytesApplied(int index, long tarBytes) {
                if (!events.getLast().startsWith("bytes " + index)) {
                    events.add("bytes " + index);
                }
            }

            @Override
            public void layerFinished(int index, int count, ApplyStatistics statistics) {
                events.add("done " + index + " files=" + statistics.files());
            }
        };

        ApplyStatistics total = ImageExtractor.extract(List.of(
                layer("base", TarSpec.pax().dir("etc").file("etc/a", "a").file("etc/b", "b")),
                layer("top", TarSpec.pax().file("etc/.wh.a", "").file("etc/c", "c"))), dest, ApplyOptions.defaults(),
                progress);

        assertEquals(List.of("etc/", "etc/b = b", "etc/c = c"), Layers.listing(dest));
        assertEquals(List.of("start 0/2 base", "bytes 0", "done 0 files=2", "start 1/2 top", "bytes 1",
                "done 1 files=1"), events);
        assertEquals(3, total.files());
        assertEquals(1, total.whiteouts());
        assertEquals(3, total.bytesInline());
    }

    @Test
    void failureInALaterLayerRemovesTheDestinationItCreated() throws IOException {
        Path dest = work.resolve("new-dest");

        ApplyException e = assertThrows(ApplyException.class, () -> ImageExtractor.extract(List.of(
                layer("base", TarSpec.pax().dir("etc").file("etc/a", "a")),
                layer("bad", TarSpec.pax().file("ok", "ok").file("../escape", "x")),
                layer("never", TarSpec.pax().file("z", "z"))), dest, ApplyOptions.defaults(), ExtractProgress.NONE));

        assertEquals(Reason.UNSAFE_PATH, e.reason());
        assertEquals("layer 2 of 3 (bad): entry '../escape': the path '../escape' leaves the destination",
                e.getMessage());
        assertFalse(Files.exists(dest), "a failed extraction must not leave its destination behind");
        assertEquals(2, opened.get(), "the layer after the failure is never opened");
    }

    @Test
    void failureLeavesAGivenEmptyDestinationEmpty() throws IOException {
        Path dest = Files.createDirectory(work.resolve("empty-dest"));

        assertThrows(ApplyException.class, () -> ImageExtractor.extract(List.of(
                layer("base", TarSpec.pax().dir("etc").file("etc/a", "a")),
                layer("bad", TarSpec.pax().symlink("etc/l", "/").file("etc/l/x", "x"))), dest,
                ApplyOptions.defaults(), ExtractProgress.NONE));

        assertTrue(Files.isDirectory(dest));
        assertEquals(List.of(), names(dest));
    }

    @Test
    void whileALayerIsAppliedTheMarkerSaysIncomplete() throws IOException {
        Path dest = work.resolve("dest");
        List<Boolean> markerSeen = new ArrayList<>();
        ImageExtractor.extract(List.of(layer("only", TarSpec.pax().file("x", "x"))), dest, ApplyOptions.defaults(),
                new ExtractProgress() {
                    @Override
                    public void layerFinished(int index, int count, ApplyStatistics statistics) {
                        markerSeen.add(Files.exists(dest.resolve(ImageExtractor.INCOMPLETE_MARKER)));
                    }
                });

        assertEquals(List.of(true), markerSeen);
        assertEquals(List.of("x"), names(dest));
    }

    @Test
    void nonEmptyDestinationIsRefusedUntouched() throws IOException {
        Path dest = Files.createDirectory(work.resolve("dest"));
        Files.writeString(dest.resolve("precious"), "p");

        ApplyException e = assertThrows(ApplyException.class, () -> ImageExtractor.extract(
                List.of(layer("l", TarSpec.pax().file("x", "x"))), dest, ApplyOptions.defaults(),
                ExtractProgress.NONE));

        assertEquals(Reason.DESTINATION, e.reason());
        assertEquals("the destination " + dest + " is not empty (1 entries)", e.getMessage());
        assertEquals(List.of("precious"), names(dest));
        assertEquals(0, opened.get());
    }

    @Test
    void destinationLeftIncompleteByAnInterruptedRunIsNamedAsSuch() throws IOException {
        Path dest = Files.createDirectory(work.resolve("dest"));
        Files.writeString(dest.resolve(ImageExtractor.INCOMPLETE_MARKER), "");
        Files.writeString(dest.resolve("half"), "h");

        ApplyException e = assertThrows(ApplyException.class, () -> ImageExtractor.extract(
                List.of(layer("l", TarSpec.pax().file("x", "x"))), dest, ApplyOptions.defaults(),
                ExtractProgress.NONE));

        assertEquals("the destination " + dest + " holds an incomplete extraction (.layerfd-incomplete); remove it "
                + "first", e.getMessage());
    }

    @Test
    void layerMayNotTouchTheMarker() throws IOException {
        Path dest = work.resolve("dest");

        ApplyException e = assertThrows(ApplyException.class, () -> ImageExtractor.extract(
                List.of(layer("l", TarSpec.pax().file(".layerfd-incomplete", "forged"))), dest,
                ApplyOptions.defaults(), ExtractProgress.NONE));

        assertEquals(Reason.UNSAFE_PATH, e.reason());
        assertFalse(Files.exists(dest));
    }

    @Test
    void opaqueRootAndWhiteoutOfTheMarkerLeaveTheMarkerToTheExtractor() throws IOException {
        Path dest = work.resolve("dest");
        List<Boolean> markerSeen = new ArrayList<>();

        ImageExtractor.extract(List.of(
                layer("base", TarSpec.pax().file("old", "o")),
                layer("top", TarSpec.pax().file(".wh..wh..opq", "").file(".wh..layerfd-incomplete", "")
                        .file("new", "n"))), dest, ApplyOptions.defaults(), new ExtractProgress() {
                            @Override
                            public void layerFinished(int index, int count, ApplyStatistics statistics) {
                                markerSeen.add(Files.exists(dest.resolve(ImageExtractor.INCOMPLETE_MARKER)));
                            }
                        });

        assertEquals(List.of(true, true), markerSeen);
        assertEquals(List.of("new"), names(dest));
    }

    @Test
    void destinationWhoseParentIsMissingIsAClearError() {
        Path dest = work.resolve("no/such/parent/dest");

        ApplyException e = assertThrows(ApplyException.class, () -> ImageExtractor.extract(
                List.of(layer("l", TarSpec.pax().file("x", "x"))), dest, ApplyOptions.defaults(),
                ExtractProgress.NONE));

        assertEquals(Reason.DESTINATION, e.reason());
        assertTrue(e.getMessage().startsWith("cannot create the destination " + dest + ": "), e.getMessage());
    }

    @Test
    void destinationThatIsAFileIsAClearError() throws IOException {
        Path dest = Files.writeString(work.resolve("file"), "f");

        ApplyException e = assertThrows(ApplyException.class, () -> ImageExtractor.extract(
                List.of(layer("l", TarSpec.pax().file("x", "x"))), dest, ApplyOptions.defaults(),
                ExtractProgress.NONE));

        assertEquals(Reason.DESTINATION, e.reason());
        assertEquals("cannot open the destination directory " + dest + ": ENOTDIR", e.getMessage());
        assertEquals("f", Files.readString(dest));
    }
}
