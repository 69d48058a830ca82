package layerfd.client.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import layerfd.client.testing.FdLeakCheck;
import layerfd.client.testing.TarSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** OCI image-spec layer.md whiteouts and opaque directories across three layers applied base first. */
@ExtendWith(FdLeakCheck.class)
class WhiteoutLayersTest {
    @TempDir
    Path work;

    private ApplyStatistics extract(Path dest, TarSpec... layers) throws IOException {
        List<LayerSource> sources = new java.util.ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            TarSpec spec = layers[i];
            sources.add(new LayerSource("layer" + i, () -> Layers.input(spec, work)));
        }
        return ImageExtractor.extract(sources, dest, ApplyOptions.defaults(), ExtractProgress.NONE);
    }

    @Test
    void threeLayersOfWhiteoutsAndOpaqueDirectoriesGiveTheMergedView() throws IOException {
        TarSpec base = TarSpec.pax()
                .dir("a").file("a/x", "ax").file("a/y", "ay").dir("a/sub").file("a/sub/z", "az")
                .dir("b").file("b/keep", "bk").file("b/gone", "bg")
                .file("c", "c-file")
                .dir("d").file("d/inner", "di")
                .dir("e").dir("e/deep").file("e/deep/file", "edf");
        TarSpec middle = TarSpec.pax()
                .file(".wh.c", "")
                .dir("a").file("a/.wh.x", "").file("a/new", "an")
                .dir("b").file("b/fresh", "bf").file("b/.wh..wh..opq", "") // opaque after a new child
                .file("d", "d-now-a-file")                                  // a file replaces a directory
                .dir("e").file("e/.wh.deep", "")
                .file("g", "same-layer").file(".wh.g", "");                 // hides only lower layers' g
        TarSpec top = TarSpec.pax()
                .dir("c").file("c/again", "ca")                              // c comes back as a directory
                .file(".wh.b", "")
                .dir("a").file("a/.wh..wh..opq", "").file("a/l3", "al3")
                .symlink("f", "a/l3");

        ApplyStatistics stats = extract(work.resolve("dest"), base, middle, top);

        assertEquals(List.of(
                "a/", "a/l3 = al3",
                "c/", "c/again = ca",
                "d = d-now-a-file",
                "e/",
                "f -> a/l3",
                "g = same-layer"), Layers.listing(work.resolve("dest")));
        assertEquals(5 + 2, stats.whiteouts(), stats.toString());
    }

    @Test
    void opaqueMarkerBeforeTheLayersOwnChildrenKeepsThemAndRemovesLowerOnesRecursively() throws IOException {
        TarSpec base = TarSpec.pax().dir("o").dir("o/kept-dir").file("o/kept-dir/lower", "l").file("o/old", "o");
        TarSpec upper = TarSpec.pax()
                .dir("o").file("o/.wh..wh..opq", "").dir("o/kept-dir").file("o/kept-dir/upper", "u")
                .file("o/new/implicit-parent", "n");

        extract(work.resolve("dest"), base, upper);

        // o/kept-dir is this layer's, but what a lower layer put inside it is hidden by the opaque parent too.
        assertEquals(List.of("o/", "o/kept-dir/", "o/kept-dir/upper = u", "o/new/", "o/new/implicit-parent = n"),
                Layers.listing(work.resolve("dest")));
    }

    @Test
    void whiteoutOfSomethingAbsentAndOpaqueOfAMissingDirectoryDoNothing() throws IOException {
        TarSpec only = TarSpec.pax().file(".wh.never-there", "").file("nodir/.wh..wh..opq", "").file("x", "x");

        ApplyStatistics stats = extract(work.resolve("dest"), only);

        assertEquals(List.of("x = x"), Layers.listing(work.resolve("dest")));
        assertEquals(2, stats.whiteouts());
    }

    @Test
    void existingEntriesOfAnotherTypeAreReplacedAndDirectoriesMerge() throws IOException {
        TarSpec base = TarSpec.pax()
                .dir("dir-to-link").file("dir-to-link/x", "x")
                .file("file-to-dir", "f")
                .symlink("link-to-file", "nowhere")
                .dir("merge").file("merge/lower", "l");
        TarSpec upper = TarSpec.pax()
                .symlink("dir-to-link", "merge")
                .dir("file-to-dir").file("file-to-dir/inside", "i")
                .file("link-to-file", "now a file")
                .dir("merge").with("mode", 0700).file("merge/upper", "u");

        extract(work.resolve("dest"), base, upper);

        assertEquals(List.of(
                "dir-to-link -> merge",
                "file-to-dir/", "file-to-dir/inside = i",
                "link-to-file = now a file",
                "merge/", "merge/lower = l", "merge/upper = u"), Layers.listing(work.resolve("dest")));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(work.resolve("dest/merge"))));
    }
}
