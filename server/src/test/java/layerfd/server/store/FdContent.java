package layerfd.server.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import layerfd.linux.FileIo;
import layerfd.linux.OwnedFd;

/** Reads a whole file through its descriptor with pread from offset 0 (the fd's own offset is left alone). */
final class FdContent {
    private static final int CHUNK = 1 << 16;

    private FdContent() {}

    static byte[] read(OwnedFd fd) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(CHUNK);
            long offset = 0;
            long n;
            while ((n = FileIo.pread(fd.get(), buf, offset)) > 0) {
                out.write(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
                offset += n;
            }
        }
        return out.toByteArray();
    }
}
