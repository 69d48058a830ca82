package layerfd.conformance.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import layerfd.linux.FdInputStream;
import layerfd.linux.FileIo;
import layerfd.linux.FdOutputStream;
import layerfd.linux.MemFd;
import layerfd.linux.OwnedFd;
import layerfd.linux.Pipe;

/** Known content in, content out: memfds the checks send, and reading whatever fd comes back. */
public final class FdContent {
    private FdContent() {}

    /** A close-on-exec memfd holding {@code text} (UTF-8), offset left at 0. */
    public static OwnedFd memfdWith(String name, String text) throws IOException {
        OwnedFd fd = MemFd.create(name);
        try (FdOutputStream out = new FdOutputStream(fd)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            fd.close();
            throw e;
        }
        return fd;
    }

    /**
     * Up to {@code limit} bytes of {@code fd} as UTF-8: a regular file (or memfd) with pread from offset 0, since a
     * passed fd shares its offset with the sender; anything else (a pipe) with read(2) to end of file.
     */
    public static String read(OwnedFd fd, int limit) throws IOException {
        if (!FileIo.stat(fd.get()).isRegularFile()) {
            byte[] all = Pipe.readToEnd(fd);
            return new String(all, 0, Math.min(limit, all.length), StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = new FdInputStream(fd)) {
            byte[] chunk = new byte[FdInputStream.BUFFER_BYTES];
            while (out.size() < limit) {
                int n = in.read(chunk, 0, Math.min(chunk.length, limit - out.size()));
                if (n < 0) {
                    break;
                }
                out.write(chunk, 0, n);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The whole content of {@code fd}, as {@link #read(OwnedFd, int)}. */
    public static String readAll(OwnedFd fd) throws IOException {
        return read(fd, Integer.MAX_VALUE);
    }
}
