package layerfd.server.tarsplit;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import layerfd.linux.FileIo;
import layerfd.linux.Open;
import layerfd.linux.OwnedFd;

/** Files whose names are not UTF-8, which java.nio cannot name (containers-storage brief §3.4). */
final class RawNames {
    private RawNames() {}

    static byte[] join(Path dir, byte[] name) {
        byte[] prefix = (dir + "/").getBytes(StandardCharsets.UTF_8);
        byte[] full = new byte[prefix.length + name.length];
        System.arraycopy(prefix, 0, full, 0, prefix.length);
        System.arraycopy(name, 0, full, prefix.length, name.length);
        return full;
    }

    static void write(Path dir, byte[] name, byte[] content) throws IOException {
        try (OwnedFd fd = Open.open(join(dir, name), Open.O_WRONLY | Open.O_CREAT | Open.O_TRUNC | Open.O_CLOEXEC,
                0644); Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Math.max(1, content.length));
            MemorySegment.copy(content, 0, buf, JAVA_BYTE, 0, content.length);
            FileIo.pwriteFully(fd.get(), buf.asSlice(0, content.length), 0);
        }
    }
}
