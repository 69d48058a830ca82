package layerfd.client.apply;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import layerfd.client.testing.ServerSplit;
import layerfd.client.testing.TarSpec;

/** Small helpers of the apply tests: a crafted tar as server-like pieces, and a readable listing of a tree. */
final class Layers {
    private Layers() {}

    /** The tar of {@code spec}, cut as the server cuts it, its external files kept in {@code work}. */
    static LayerInput input(TarSpec spec, Path work) throws IOException {
        Path dir = Files.createTempDirectory(work, "layer");
        Path tar = spec.write(dir.resolve("layer.tar"));
        return LayerInput.of(ServerSplit.split(tar, dir, ServerSplit.SERVER_INLINE_THRESHOLD, ServerSplit.WHOLE)
                .pieces());
    }

    /** "path/" for directories, "path -> target" for symlinks, "path = content" for files; sorted. */
    static List<String> listing(Path root) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted().toList()) {
                if (p.equals(root)) {
                    continue;
                }
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    lines.add(rel + " -> " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    lines.add(rel + "/");
                } else {
                    lines.add(rel + " = " + Files.readString(p, StandardCharsets.ISO_8859_1));
                }
            }
        }
        return lines;
    }
}
