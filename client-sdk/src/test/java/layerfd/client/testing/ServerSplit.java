package layerfd.client.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import layerfd.client.apply.Piece;
import layerfd.client.apply.Piece.ExternalFile;
import layerfd.client.apply.Piece.InlineBytes;
import layerfd.linux.Open;

/**
 * Cuts a tar into the pieces a layerfd server sends (api-contract §3.3, splitfdstream dialect [A]): every regular
 * file's data larger than the inline threshold becomes an external file (a real file on disk, opened read-only),
 * everything else stays inline, cut into chunks of a chosen size so that boundaries fall anywhere, inside headers
 * too. Where the data regions are is asked of Python's tarfile, an independent tar reader.
 */
public final class ServerSplit {
    /** The server's default inline threshold (api-contract §3.3). */
    public static final int SERVER_INLINE_THRESHOLD = 4096;
    /** A chunk size that never cuts an inline region. */
    public static final int WHOLE = Integer.MAX_VALUE;

    private static final String DATA_REGIONS = """
            import sys, tarfile
            with tarfile.open(sys.argv[1], 'r:', encoding='utf-8', errors='surrogateescape') as t:
                for m in t:
                    if m.isreg():
                        print(m.offset_data, m.size)
            """;

    private ServerSplit() {}

    /** The pieces, and the external files behind them (for extent and space checks). */
    public record Split(List<Piece> pieces, List<Path> externals) {
    }

    public static Split split(Path tar, Path externalDir, int inlineThreshold, int chunkBytes) throws IOException {
        List<long[]> regions = new ArrayList<>();
        for (String line : Processes.python(DATA_REGIONS, new byte[0], tar.toString()).split("\n")) {
            if (!line.isBlank()) {
                String[] f = line.trim().split(" ");
                regions.add(new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])});
            }
        }
        List<Piece> pieces = new ArrayList<>();
        List<Path> externals = new ArrayList<>();
        try (FileChannel in = FileChannel.open(tar, StandardOpenOption.READ)) {
            long pos = 0;
            for (long[] r : regions) {
                if (r[1] > inlineThreshold) {
                    inline(in, pos, r[0], chunkBytes, pieces);
                    Path file = externalDir.resolve("external-" + externals.size());
                    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE)) {
                        for (long done = 0; done < r[1]; ) {
                            done += in.transferTo(r[0] + done, r[1] - done, out);
                        }
                    }
                    externals.add(file);
                    pieces.add(new ExternalFile(Open.open(file.toString(), Open.O_RDONLY | Open.O_CLOEXEC, 0)));
                    pos = r[0] + r[1];
                }
            }
            inline(in, pos, in.size(), chunkBytes, pieces);
        } catch (IOException | RuntimeException e) {
            pieces.forEach(Piece::close);
            throw e;
        }
        return new Split(List.copyOf(pieces), List.copyOf(externals));
    }

    private static void inline(FileChannel in, long from, long to, int chunkBytes, List<Piece> pieces)
            throws IOException {
        if (to <= from) {
            return;
        }
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(to - from));
        while (buf.hasRemaining()) {
            if (in.read(buf, from + buf.position()) < 0) {
                throw new IOException("tar shorter than its data regions");
            }
        }
        byte[] bytes = buf.array();
        for (int at = 0; at < bytes.length; at += chunkBytes) {
            pieces.add(new InlineBytes(bytes, at, Math.min(chunkBytes, bytes.length - at)));
            if (chunkBytes == WHOLE) {
                break;
            }
        }
    }
}
