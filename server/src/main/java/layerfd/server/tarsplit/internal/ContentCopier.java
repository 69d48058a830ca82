package layerfd.server.tarsplit.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import layerfd.linux.FileIo;
import layerfd.linux.OwnedFd;
import layerfd.server.tarsplit.Crc64;
import layerfd.server.tarsplit.TarSplitEntry;
import layerfd.server.tarsplit.TarSplitIntegrityException;

/**
 * Copies exactly {@code entry.size()} bytes of a file to a stream through one bounded buffer, computing the
 * CRC-64 on the way. Reads with pread from offset 0: a descriptor may share its offset with another process
 * (splitfdstream brief §4), so the offset is never used or moved. Confined to one thread.
 */
public final class ContentCopier implements AutoCloseable {
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment nativeBuffer;
    private final byte[] heapBuffer;

    public ContentCopier(int bufferBytes) {
        nativeBuffer = arena.allocate(bufferBytes);
        heapBuffer = new byte[bufferBytes];
    }

    /** Copies the content and checks its length and CRC-64 (Go: "file integrity checksum failed for %q"). */
    public void copy(TarSplitEntry.FileEntry entry, OwnedFd content, OutputStream out) throws IOException {
        int fd = content.get();
        long size = entry.size();
        Crc64 crc = new Crc64();
        long offset = 0;
        while (offset < size) {
            int want = (int) Math.min(heapBuffer.length, size - offset);
            int n = (int) FileIo.pread(fd, nativeBuffer.asSlice(0, want), offset);
            if (n == 0) {
                throw new TarSplitIntegrityException("layer file " + entry.printableName() + " is shorter than its "
                        + "tar-split entry: it ended after " + offset + " of " + size + " bytes");
            }
            MemorySegment.copy(nativeBuffer, JAVA_BYTE, 0, heapBuffer, 0, n);
            crc.update(heapBuffer, 0, n);
            out.write(heapBuffer, 0, n);
            offset += n;
        }
        if (FileIo.pread(fd, nativeBuffer.asSlice(0, 1), size) > 0) {
            throw new TarSplitIntegrityException("layer file " + entry.printableName() + " is longer than the "
                    + size + " bytes of its tar-split entry");
        }
        long expected = entry.crc64Value().orElseThrow(() -> new TarSplitIntegrityException("layer file "
                + entry.printableName() + " has " + size + " bytes but its tar-split entry has no CRC-64"));
        if (crc.getValue() != expected) {
            throw new TarSplitIntegrityException("file integrity checksum failed for " + entry.printableName()
                    + ": its content has CRC-64 " + Crc64.toHex(crc.getValue()) + ", tar-split says "
                    + Crc64.toHex(expected));
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
