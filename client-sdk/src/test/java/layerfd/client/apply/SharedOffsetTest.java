package layerfd.client.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import layerfd.client.ReflinkPolicy;
import layerfd.client.apply.Piece.ExternalFile;
import layerfd.client.testing.FdLeakCheck;
import layerfd.client.testing.FileOffsets;
import layerfd.client.testing.ServerSplit;
import layerfd.client.testing.TarSpec;
import layerfd.linux.OwnedFd;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * splitfdstream §4: a received fd shares its file offset with the sender. Whatever the sender left it at, the applier
 * reads from 0, and it leaves the offset where it was (positional reads only).
 */
@ExtendWith(FdLeakCheck.class)
class SharedOffsetTest {
    private static final long SENDERS_OFFSET = 777;

    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(value = ReflinkPolicy.class, names = {"DISABLED", "ENABLED_WITH_COPY"})
    void externalFileIsReadFromZeroAndItsOffsetIsLeftAlone(ReflinkPolicy policy) throws IOException {
        String content = "0123456789".repeat(1000);
        Path tar = TarSpec.pax().file("f", content).write(work.resolve("t.tar"));
        List<Piece> pieces = new ArrayList<>(ServerSplit.split(tar, work, ServerSplit.SERVER_INLINE_THRESHOLD,
                ServerSplit.WHOLE).pieces());
        ExternalFile external = (ExternalFile) pieces.get(1);
        Path dest = Files.createDirectory(work.resolve("dest"));
        try (OwnedFd senderSide = external.fd().dup()) {
            FileOffsets.seek(senderSide.get(), SENDERS_OFFSET);

            ApplyStatistics stats = LayerApplier.apply(LayerInput.of(pieces), dest,
                    ApplyOptions.defaults().withReflinkPolicy(policy));

            assertEquals(SENDERS_OFFSET, FileOffsets.position(senderSide.get()));
            assertEquals(content.length(), stats.bytesCopied(), stats.toString());
        }
        assertEquals(content, Files.readString(dest.resolve("f")));
    }
}
