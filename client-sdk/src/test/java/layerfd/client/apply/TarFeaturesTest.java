package layerfd.client.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import layerfd.client.testing.FdLeakCheck;
import layerfd.client.testing.Processes;
import layerfd.client.testing.ServerSplit;
import layerfd.client.testing.TarSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Tar features GNU tar's own output does not exercise: global PAX headers, ustar prefixes, negative times. */
@ExtendWith(FdLeakCheck.class)
class TarFeaturesTest {
    @TempDir
    Path work;

    private Path apply(TarSpec spec, int chunkBytes) throws IOException {
        Path dir = Files.createTempDirectory(work, "layer");
        Path tar = spec.write(dir.resolve("layer.tar"));
        Path dest = Files.createDirectory(dir.resolve("dest"));
        LayerApplier.apply(LayerInput.of(ServerSplit.split(tar, dir, ServerSplit.SERVER_INLINE_THRESHOLD,
                chunkBytes).pieces()), dest, ApplyOptions.defaults());
        return dest;
    }

    private static Object attr(Path p, String name) throws IOException {
        return Files.getAttribute(p, name, LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void globalPaxRecordsApplyToEveryLaterEntryAndLocalRecordsOverrideThem() throws IOException {
        for (int chunk : new int[] {ServerSplit.WHOLE, 1}) {
            Path dest = apply(TarSpec.pax().global("uid", "777").global("mtime", "1234567890.25")
                    .file("a", "a").file("b", "b").pax("uid", "888").pax("mtime", "1.5"), chunk);

            assertEquals(777, attr(dest.resolve("a"), "unix:uid"));
            assertEquals(FileTime.from(Instant.ofEpochSecond(1234567890, 250_000_000)),
                    Files.getLastModifiedTime(dest.resolve("a")));
            assertEquals(888, attr(dest.resolve("b"), "unix:uid"));
            assertEquals(FileTime.from(Instant.ofEpochSecond(1, 500_000_000)),
                    Files.getLastModifiedTime(dest.resolve("b")));
        }
    }

    @Test
    void timesBeforeTheEpochFromBase256AndFromPax() throws IOException {
        Path gnu = apply(TarSpec.gnu().file("old", "o").with("mtime", -1000), ServerSplit.WHOLE);
        Path pax = apply(TarSpec.pax().file("old", "o").pax("mtime", "-1.25"), ServerSplit.WHOLE);

        assertEquals(FileTime.from(Instant.ofEpochSecond(-1000)), Files.getLastModifiedTime(gnu.resolve("old")));
        assertEquals(FileTime.from(Instant.ofEpochSecond(-2, 750_000_000)),
                Files.getLastModifiedTime(pax.resolve("old")));
    }

    @Test
    void largeIdsAsBase256InGnuHeaders() throws IOException {
        Path dest = apply(TarSpec.gnu().file("big-ids", "x").with("uid", 3_000_000).with("gid", 4_000_000),
                ServerSplit.WHOLE);

        assertEquals(3_000_000, attr(dest.resolve("big-ids"), "unix:uid"));
        assertEquals(4_000_000, attr(dest.resolve("big-ids"), "unix:gid"));
    }

    @Test
    void ustarPrefixFieldJoinsLongPaths() throws IOException {
        String dir = "p".repeat(120);
        Path tar = work.resolve("ustar.tar");
        Processes.python("""
                import io, sys, tarfile
                with tarfile.open(sys.argv[1], 'w', format=tarfile.USTAR_FORMAT) as t:
                    d = tarfile.TarInfo(sys.argv[2]); d.type = tarfile.DIRTYPE; d.mode = 0o755; t.addfile(d)
                    f = tarfile.TarInfo(sys.argv[2] + '/file'); f.size = 2; t.addfile(f, io.BytesIO(b'ok'))
                """, new byte[0], tar.toString(), dir);
        Path dest = Files.createDirectory(work.resolve("dest"));

        LayerApplier.apply(LayerInput.of(ServerSplit.split(tar, work, 4096, 100).pieces()), dest,
                ApplyOptions.defaults());

        assertEquals("ok", Files.readString(dest.resolve(dir).resolve("file")));
    }

    @Test
    void paxPathThatIsNotUtf8StaysByteExact() throws IOException {
        Path dest = apply(TarSpec.pax().file("hex:6c6174696e31ff", "l"), 3);

        List<String> names = Processes.python("""
                import os, sys
                print('\\n'.join(n.hex() for n in os.listdir(os.fsencode(sys.argv[1]))))
                """, new byte[0], dest.toString()).lines().toList();
        assertEquals(List.of("6c6174696e31ff"), names);
    }

    @Test
    void binaryXattrValueReachesTheFileExactly() throws IOException {
        Path dest = apply(TarSpec.pax().file("x", "x").pax("SCHILY.xattr.user.raw", "hex:00ff0a3d20"), 1);

        String raw = Processes.check("getfattr", "--only-values", "-n", "user.raw", dest.resolve("x").toString());
        assertEquals("00ff0a3d20", HexFormat.of().formatHex(raw.getBytes(StandardCharsets.ISO_8859_1)));
    }
}
