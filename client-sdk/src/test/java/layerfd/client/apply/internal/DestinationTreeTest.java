package layerfd.client.apply.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import layerfd.client.apply.ApplyException;
import layerfd.client.apply.ApplyException.Reason;
import layerfd.client.testing.FdLeakCheck;
import layerfd.client.testing.Processes;
import layerfd.linux.Open;
import layerfd.linux.OwnedFd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The descriptor-only tree: listing by getdents64, recursive removal that never follows a symlink, parents. */
@ExtendWith(FdLeakCheck.class)
class DestinationTreeTest {
    @TempDir
    Path work;

    private static OwnedFd open(Path dir) throws IOException {
        return Open.open(dir.toString(), Open.O_RDONLY | Open.O_DIRECTORY | Open.O_CLOEXEC, 0);
    }

    private static EntryPath path(String p) throws ApplyException {
        return EntryPath.clean(p.getBytes(StandardCharsets.UTF_8), p, "the path");
    }

    @Test
    void listsEveryNameOfADirectoryLargerThanOneGetdentsBuffer() throws IOException {
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < 3000; i++) {
            String name = "entry-%04d-%s".formatted(i, "x".repeat(40));
            Files.createFile(work.resolve(name));
            expected.add(name);
        }
        Processes.bash("printf x > \"$1\"/$'raw-\\xff'", work.toString());
        expected.add("raw-\u00ff"); // lossless: one char per byte

        try (OwnedFd dir = open(work)) {
            assertEquals(expected, new TreeSet<>(DirectoryContents.names(dir)));
        }
    }

    @Test
    void removingADirectoryRemovesItsSymlinksNotWhatTheyPointAt() throws IOException {
        Path outside = Files.createDirectory(work.resolve("outside"));
        Files.writeString(outside.resolve("precious"), "p");
        Path root = Files.createDirectory(work.resolve("root"));
        Path deep = Files.createDirectories(root.resolve("a/b/c"));
        Files.createSymbolicLink(deep.resolve("out"), outside);
        Files.createSymbolicLink(root.resolve("a/outfile"), outside.resolve("precious"));
        Files.writeString(deep.resolve("f"), "f");

        try (OwnedFd fd = open(root)) {
            DirectoryContents.removeAllBut(fd, null);
        }

        try (var s = Files.list(root)) {
            assertEquals(List.of(), s.toList());
        }
        assertEquals("p", Files.readString(outside.resolve("precious")));
    }

    @Test
    void missingParentsAreCreatedAndReported() throws IOException {
        Path root = Files.createDirectory(work.resolve("root"));
        List<String> created = new ArrayList<>();
        try (OwnedFd fd = open(root)) {
            DestinationTree tree = new DestinationTree(fd);
            try {
                assertNull(tree.directory(path("x/y/z"), "x/y/z/f", null));
                assertTrue(tree.directory(path("x/y/z"), "x/y/z/f", p -> created.add(p.toString())) >= 0);
            } finally {
                tree.close();
            }
        }
        assertEquals(List.of("x", "x/y", "x/y/z"), created);
        assertEquals("rwxr-xr-x", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(root.resolve("x/y"))));
    }

    @Test
    void parentThroughASymlinkIsRefusedEvenWhenItPointsInside() throws IOException {
        Path root = Files.createDirectory(work.resolve("root"));
        Files.createDirectory(root.resolve("real"));
        Files.createSymbolicLink(root.resolve("alias"), Path.of("real"));
        try (OwnedFd fd = open(root)) {
            DestinationTree tree = new DestinationTree(fd);
            try {
                ApplyException e = assertThrows(ApplyException.class,
                        () -> tree.directory(path("alias/sub"), "alias/sub/f", p -> { }));
                assertEquals(Reason.UNSAFE_PATH, e.reason());
                assertEquals("entry 'alias/sub/f': 'alias/sub' is a symlink (or lies beneath one); writing "
                        + "through a symlink is refused", e.getMessage());
            } finally {
                tree.close();
            }
        }
        assertFalse(Files.exists(root.resolve("real/sub")));
    }
}
