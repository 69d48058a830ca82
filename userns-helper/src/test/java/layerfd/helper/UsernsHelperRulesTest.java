package layerfd.helper;

import static layerfd.helper.TestGraphRoot.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import layerfd.linux.FdInputStream;
import layerfd.testing.OpenFds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The helper's rules, through a real helper process started directly (this test runs as root, so no podman is
 * needed to read a mode 0000 file; the rootless path is tested in the server's rootless tests as a real user).
 */
class UsernsHelperRulesTest {
    @TempDir
    Path dir;
    private TestGraphRoot tree;
    private UsernsHelper helper;
    private int fdsBefore;

    @BeforeEach
    void start() throws Exception {
        tree = TestGraphRoot.create(dir);
        fdsBefore = OpenFds.count();
        helper = new UsernsHelper(HelperLaunch.direct(List.of(tree.root())));
    }

    @AfterEach
    void stop() throws Exception {
        helper.close();
        assertEquals(fdsBefore, OpenFds.settle(fdsBefore), "descriptors leaked");
    }

    @Test
    void helperStartsOnlyOnFirstUse() throws Exception {
        assertTrue(helper.helperPid().isEmpty());
        close(open(List.of(tree.upper()), "etc/hello"));
        assertTrue(helper.helperPid().isPresent());
    }

    @Test
    void namesAreSearchedInEachDirectoryNearestFirst() throws Exception {
        List<OpenResult> results = open(tree.chain(), "etc/hello", "etc-lower-only", "hello-both", "etc/shadow",
                "nowhere");
        try {
            assertEquals("hello upper\n", content(results.get(0)));
            assertEquals("lower\n", content(results.get(1)));
            assertEquals("upper copy\n", content(results.get(2)));
            assertEquals("root:*:19000\n", content(results.get(3)));
            assertInstanceOf(OpenResult.Missing.class, results.get(4));
        } finally {
            close(results);
        }
    }

    @Test
    void symlinksFifosDirectoriesAndUncleanNamesAreRefusedOneByOne() throws Exception {
        List<OpenResult> results = open(tree.chain(), "escape", "relative-link", "fifo", "a-directory",
                "../" + TestGraphRoot.LOWER_ID + "/hello-both", "/etc/passwd", "./etc/hello", "etc/hello");
        try {
            for (int i = 0; i < 7; i++) {
                assertInstanceOf(OpenResult.Refused.class, results.get(i), "result " + i + ": " + results.get(i));
            }
            assertEquals("hello upper\n", content(results.get(7)), "a refusal does not fail the batch");
        } finally {
            close(results);
        }
    }

    @Test
    void directoryOutsideTheGraphRootIsRefused() throws Exception {
        HelperException e = assertThrows(HelperException.class,
                () -> open(List.of(tree.outside().getParent()), "outside-secret"));
        assertTrue(e.getMessage().contains("beneath none of the graph roots"), e.getMessage());
        // The connection survives a refused request.
        close(open(List.of(tree.upper()), "etc/hello"));
    }

    @Test
    void directoryThatIsNotLayerContentIsRefused() throws Exception {
        for (Path notContent : List.of(tree.root(), tree.root().resolve("vfs"), tree.upper().resolve("etc"),
                Path.of(tree.upper() + "/../" + TestGraphRoot.LOWER_ID))) {
            HelperException e = assertThrows(HelperException.class, () -> open(List.of(notContent), "hello-both"),
                    notContent.toString());
            assertTrue(e.getMessage().contains("refused"), e.getMessage());
        }
    }

    @Test
    void tooManyNamesInOneRequestIsTheCallersError() {
        List<byte[]> names = new ArrayList<>();
        for (int i = 0; i <= HelperProtocol.MAX_NAMES_PER_REQUEST; i++) {
            names.add(name("etc/hello"));
        }
        assertThrows(IllegalArgumentException.class, () -> helper.openLayerFiles(List.of(tree.upper()), names));
    }

    @Test
    void fullBatchReturnsEveryDescriptor() throws Exception {
        List<byte[]> names = new ArrayList<>();
        for (int i = 0; i < HelperProtocol.MAX_NAMES_PER_REQUEST; i++) {
            names.add(name(i % 2 == 0 ? "etc/hello" : "etc-lower-only"));
        }
        List<OpenResult> results = helper.openLayerFiles(tree.chain(), names);
        try {
            assertEquals(names.size(), results.size());
            for (int i = 0; i < results.size(); i++) {
                assertEquals(i % 2 == 0 ? "hello upper\n" : "lower\n", content(results.get(i)));
            }
        } finally {
            close(results);
        }
    }

    private List<OpenResult> open(List<Path> dirs, String... names) throws Exception {
        return helper.openLayerFiles(dirs, List.of(names).stream().map(TestGraphRoot::name).toList());
    }

    static String content(OpenResult result) throws Exception {
        OpenResult.Opened opened = assertInstanceOf(OpenResult.Opened.class, result, result.toString());
        try (FdInputStream in = new FdInputStream(opened.fd())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static void close(List<OpenResult> results) {
        results.forEach(OpenResult::close);
    }

}
