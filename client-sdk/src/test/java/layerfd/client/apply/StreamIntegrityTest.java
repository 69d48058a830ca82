package layerfd.client.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import layerfd.client.apply.ApplyException.Reason;
import layerfd.client.apply.Piece.ExternalFile;
import layerfd.client.apply.Piece.InlineBytes;
import layerfd.client.testing.FdLeakCheck;
import layerfd.client.testing.ServerSplit;
import layerfd.client.testing.TarSpec;
import layerfd.linux.Open;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Streams that do not hold a valid layer fail with an error naming the entry and the fault, and leak no fd. */
@ExtendWith(FdLeakCheck.class)
class StreamIntegrityTest {
    private static final String BIG = "b".repeat(5000);

    @TempDir
    Path work;

    private Path dest() throws IOException {
        return Files.createDirectories(work.resolve("dest"));
    }

    private ApplyException fails(List<Piece> pieces) throws IOException {
        Path dest = dest();
        return assertThrows(ApplyException.class,
                () -> LayerApplier.apply(LayerInput.of(pieces), dest, ApplyOptions.defaults()));
    }

    private ServerSplit.Split split(TarSpec spec) throws IOException {
        Path tar = spec.write(work.resolve("layer.tar"));
        return ServerSplit.split(tar, Files.createDirectory(work.resolve("ext")),
                ServerSplit.SERVER_INLINE_THRESHOLD, ServerSplit.WHOLE);
    }

    @Test
    void externalFileShorterThanItsHeaderIsAnIntegrityErrorNamingTheEntry() throws IOException {
        ServerSplit.Split split = split(TarSpec.pax().dir("etc").file("etc/big", BIG).file("after", "a"));
        Path wrong = Files.writeString(work.resolve("wrong-size"), "b".repeat(4999));
        List<Piece> pieces = new ArrayList<>(split.pieces());
        int i = pieces.indexOf(pieces.stream().filter(p -> p instanceof ExternalFile).findFirst().orElseThrow());
        pieces.get(i).close();
        pieces.set(i, new ExternalFile(Open.open(wrong.toString(), Open.O_RDONLY | Open.O_CLOEXEC, 0)));

        ApplyException e = fails(pieces);

        assertEquals(Reason.INTEGRITY, e.reason());
        assertEquals("entry 'etc/big': the external file holds 4999 bytes but the tar header says 5000 bytes "
                + "(integrity error)", e.getMessage());
    }

    @Test
    void externalFileThatIsADirectoryIsAnIntegrityError() throws IOException {
        ServerSplit.Split split = split(TarSpec.pax().file("big", BIG));
        List<Piece> pieces = new ArrayList<>(split.pieces());
        pieces.get(1).close();
        pieces.set(1, new ExternalFile(Open.open(work.toString(), Open.O_RDONLY | Open.O_CLOEXEC, 0)));

        ApplyException e = fails(pieces);

        assertEquals(Reason.INTEGRITY, e.reason());
        assertTrue(e.getMessage().contains("is not a regular file"), e.getMessage());
    }

    @Test
    void externalFileWhereAHeaderBelongsIsMalformed() throws IOException {
        ServerSplit.Split split = split(TarSpec.pax().file("big", BIG));
        List<Piece> pieces = new ArrayList<>(split.pieces());
        Piece external = pieces.remove(1);
        pieces.addFirst(external);

        ApplyException e = fails(pieces);

        assertEquals(Reason.MALFORMED_TAR, e.reason());
        assertEquals("an external file stands where a tar header belongs (tar offset 0)", e.getMessage());
    }

    @Test
    void headerWithABadChecksumIsMalformed() throws IOException {
        byte[] tar = Files.readAllBytes(TarSpec.pax().file("x", "x").write(work.resolve("t.tar")));
        tar[0] ^= 1; // name "x" becomes "y", the stored checksum no longer matches

        ApplyException e = fails(List.of(new InlineBytes(tar)));

        assertEquals(Reason.MALFORMED_TAR, e.reason());
        assertTrue(e.getMessage().matches("tar header at offset 0 \\('y'\\): checksum \\d+ does not match the "
                + "header's \\d+"), e.getMessage());
    }

    @Test
    void layerCutInsideAHeaderIsMalformed() throws IOException {
        byte[] tar = Files.readAllBytes(TarSpec.gnu().file("x", "x").write(work.resolve("t.tar")));

        ApplyException e = fails(List.of(new InlineBytes(tar, 0, 300)));

        assertEquals(Reason.MALFORMED_TAR, e.reason());
        assertEquals("layer tar ends at offset 300 inside a tar header", e.getMessage());
    }

    @Test
    void layerCutInsideInlineFileDataIsMalformed() throws IOException {
        byte[] tar = Files.readAllBytes(TarSpec.gnu().file("x", "0123456789").write(work.resolve("t.tar")));

        ApplyException e = fails(List.of(new InlineBytes(tar, 0, 515)));

        assertEquals(Reason.MALFORMED_TAR, e.reason());
        assertEquals("layer tar ends at offset 515 inside the data of 'x'", e.getMessage());
    }

    @Test
    void paxSparseFileIsUnsupported() throws IOException {
        byte[] tar = Files.readAllBytes(TarSpec.pax().file("sparse", "data").pax("GNU.sparse.major", "1")
                .pax("GNU.sparse.minor", "0").write(work.resolve("t.tar")));

        ApplyException e = fails(List.of(new InlineBytes(tar)));

        assertEquals(Reason.UNSUPPORTED, e.reason());
        assertTrue(e.getMessage().startsWith("entry 'sparse': a sparse file (PAX GNU.sparse."), e.getMessage());
    }

    @Test
    void gnuSparseTypeflagIsUnsupported() throws IOException {
        byte[] tar = Files.readAllBytes(TarSpec.gnu().file("holes", "data").write(work.resolve("t.tar")));
        tar[156] = 'S';
        writeChecksum(tar);

        ApplyException e = fails(List.of(new InlineBytes(tar)));

        assertEquals(Reason.UNSUPPORTED, e.reason());
        assertEquals("entry 'holes': a GNU sparse file (typeflag 'S') is not supported", e.getMessage());
    }

    @Test
    void zeroBlockFollowedByAHeaderIsMalformed() throws IOException {
        byte[] one = Files.readAllBytes(TarSpec.gnu().file("x", "x").write(work.resolve("t.tar")));
        byte[] tar = new byte[512 + 1024];
        System.arraycopy(one, 0, tar, 512, 1024);

        ApplyException e = fails(List.of(new InlineBytes(tar)));

        assertEquals(Reason.MALFORMED_TAR, e.reason());
        assertEquals("a zero block followed by a header at tar offset 512", e.getMessage());
    }

    @Test
    void tarWithoutEndOfArchiveBlocksIsAcceptedLikeGnuTarDoes() throws IOException {
        byte[] tar = Files.readAllBytes(TarSpec.gnu().file("x", "xyz").write(work.resolve("t.tar")));
        Path dest = dest();

        ApplyStatistics stats = LayerApplier.apply(LayerInput.of(List.of(new InlineBytes(tar, 0, 1024))), dest,
                ApplyOptions.defaults());

        assertEquals("xyz", Files.readString(dest.resolve("x")));
        assertEquals(1, stats.files());
        assertEquals(3, stats.bytesInline());
    }

    @Test
    void bytesAfterTheEndOfArchiveAreIgnoredAndTheirFdsClosed() throws IOException {
        ServerSplit.Split split = split(TarSpec.pax().file("x", "x"));
        Path stray = Files.writeString(work.resolve("stray"), BIG);
        List<Piece> pieces = new ArrayList<>(split.pieces());
        pieces.add(new ExternalFile(Open.open(stray.toString(), Open.O_RDONLY | Open.O_CLOEXEC, 0)));
        pieces.add(new InlineBytes("record padding".getBytes(StandardCharsets.US_ASCII)));
        Path dest = dest();

        LayerApplier.apply(LayerInput.of(pieces), dest, ApplyOptions.defaults());

        assertEquals("x", Files.readString(dest.resolve("x")));
    }

    /** POSIX ustar checksum: the byte sum with the field itself counted as spaces; six octal digits, NUL, space. */
    private static void writeChecksum(byte[] tar) {
        for (int i = 148; i < 156; i++) {
            tar[i] = ' ';
        }
        int sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += tar[i] & 0xff;
        }
        byte[] digits = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, tar, 148, 8);
    }
}
