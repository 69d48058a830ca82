package layerfd.protocol.fdpass;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import layerfd.linux.FileIo;
import layerfd.linux.LinuxException;
import layerfd.linux.MemFd;
import layerfd.linux.OwnedFd;

/** Real descriptors with known contents, so a test can prove which fd arrived at which position. */
public final class TestFds {
    private static final int MAX_CONTENT_BYTES = 4 * 1024 * 1024;

    private TestFds() {}

    /** A memfd holding {@code content} (UTF-8). */
    public static OwnedFd memfd(String content) throws LinuxException {
        OwnedFd fd = MemFd.create("test");
        try (Arena arena = Arena.ofConfined()) {
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > 0) {
                FileIo.pwriteFully(fd.get(), arena.allocateFrom(JAVA_BYTE, bytes), 0);
            }
        } catch (LinuxException | RuntimeException e) {
            fd.close();
            throw e;
        }
        return fd;
    }

    /** {@code count} memfds holding prefix + index: "prefix-0", "prefix-1", ... */
    public static List<OwnedFd> numbered(String prefix, int count) throws LinuxException {
        List<OwnedFd> fds = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                fds.add(memfd(prefix + "-" + i));
            }
        } catch (LinuxException | RuntimeException e) {
            fds.forEach(OwnedFd::close);
            throw e;
        }
        return fds;
    }

    /** The whole content of the file behind {@code fd}, read at offset 0 (the file offset is not moved). */
    public static String content(OwnedFd fd) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            long size = FileIo.stat(fd.get()).size();
            if (size > MAX_CONTENT_BYTES) {
                throw new IllegalArgumentException("test file too large: " + size);
            }
            MemorySegment buf = arena.allocate(Math.max(1, size));
            long done = 0;
            while (done < size) {
                long n = FileIo.pread(fd.get(), buf.asSlice(done, size - done), done);
                if (n == 0) {
                    break;
                }
                done += n;
            }
            return new String(buf.asSlice(0, done).toArray(JAVA_BYTE),
                    StandardCharsets.UTF_8);
        }
    }

    /** The contents of every fd, in order. */
    public static List<String> contents(List<OwnedFd> fds) throws LinuxException {
        List<String> result = new ArrayList<>(fds.size());
        for (OwnedFd fd : fds) {
            result.add(content(fd));
        }
        return result;
    }

    /** "prefix-0" .. "prefix-(count-1)". */
    public static List<String> expectedNumbered(String prefix, int count) {
        List<String> result = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            result.add(prefix + "-" + i);
        }
        return result;
    }

    /** {@link #memfd} for lambdas. */
    public static OwnedFd memfdUnchecked(String content) {
        try {
            return memfd(content);
        } catch (LinuxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@link #numbered} for lambdas. */
    public static List<OwnedFd> numberedUnchecked(String prefix, int count) {
        try {
            return numbered(prefix, count);
        } catch (LinuxException e) {
            throw new IllegalStateException(e);
        }
    }
}
