package layerfd.client.apply.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import layerfd.client.ReflinkPolicy;
import layerfd.client.apply.ApplyException;
import layerfd.client.apply.ApplyException.Reason;
import layerfd.client.apply.Piece.ExternalFile;
import layerfd.linux.Errno;
import layerfd.linux.FileIo;
import layerfd.linux.LinuxException;
import layerfd.linux.Reflink;

/**
 * Writes a regular file's content into its freshly created destination file, by the reflink policy's chain
 * (java-platform §4.1) for external files, or from the stream's inline bytes. Every read and write is at an explicit
 * offset: a received fd shares its offset with the sender. One fixed buffer serves every file, so memory is constant.
 */
public final class ContentWriter implements AutoCloseable {
    /** Size of the one native buffer used for inline data and read/write copies. */
    static final int BUFFER_BYTES = 1024 * 1024;
    /** The buffer starts on a page boundary, so every pread/pwrite through it covers whole pages. */
    private static final long BUFFER_ALIGNMENT = 4096;

    private final ReflinkPolicy policy;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment buffer = arena.allocate(BUFFER_BYTES, BUFFER_ALIGNMENT);
    private final Counters counters;

    public ContentWriter(ReflinkPolicy policy, Counters counters) {
        this.policy = policy;
        this.counters = counters;
    }

    /** Fills {@code dstFd} with the whole of {@code source} (already size-checked), by the policy's chain. */
    public void fromExternal(ExternalFile source, int dstFd, long size, String entry) throws IOException {
        int src = source.fd().get();
        switch (policy) {
            case DISABLED -> readWriteCopy(src, dstFd, 0, size, entry); // no copy_file_range: it reflinks on XFS
            case ENABLED -> {
                int errno = Reflink.ficlone(dstFd, src);
                if (errno != 0) {
                    throw new ApplyException(Reason.REFLINK_REFUSED, "entry '" + entry + "': cannot reflink ("
                            + Errno.name(errno) + "): " + why(errno) + "; the reflink policy is 'enabled', which "
                            + "does not copy (use 'enabled-with-copy' to copy instead)");
                }
                counters.bytesReflinked += size;
            }
            case ENABLED_WITH_COPY -> {
                int errno = Reflink.ficlone(dstFd, src);
                if (errno == 0) {
                    counters.bytesReflinked += size;
                } else if (errno == Errno.EOPNOTSUPP || errno == Errno.EXDEV || errno == Errno.EINVAL) {
                    kernelCopy(src, dstFd, size, entry);
                } else {
                    throw new ApplyException(Reason.IO, "entry '" + entry + "': FICLONE failed: "
                            + Errno.name(errno));
                }
            }
        }
    }

    private static String why(int errno) {
        return switch (errno) {
            case Errno.EOPNOTSUPP -> "the destination filesystem cannot share extents";
            case Errno.EXDEV -> "the source and the destination are on different filesystems";
            case Errno.EINVAL -> "the filesystem refused this file's ranges";
            default -> "the kernel refused it";
        };
    }

    /** copy_file_range, then read/write for what it cannot do (EXDEV, ENOSYS, EINVAL, or nothing copied). */
    private void kernelCopy(int src, int dst, long size, String entry) throws IOException {
        long done = 0;
        while (done < size) {
            long n;
            try {
                n = Reflink.copyFileRange(src, done, dst, done, size - done);
            } catch (LinuxException e) {
                if (e.errno() == Errno.EXDEV || e.errno() == Errno.ENOSYS || e.errno() == Errno.EINVAL) {
                    break;
                }
                throw new ApplyException(Reason.IO, "entry '" + entry + "': copy_file_range failed: "
                        + Errno.name(e.errno()), e);
            }
            if (n == 0) {
                break; // some filesystems report 0 instead of an error; the read/write loop decides
            }
            done += n;
            counters.bytesCopied += n;
        }
        readWriteCopy(src, dst, done, size, entry);
    }

    /** pread/pwrite of [from, size) through the buffer; an early end of the source is an integrity error. */
    private void readWriteCopy(int src, int dst, long from, long size, String entry) throws IOException {
        long done = from;
        while (done < size) {
            MemorySegment chunk = buffer.asSlice(0, Math.min(BUFFER_BYTES, size - done));
            long n = FileIo.pread(src, chunk, done);
            if (n == 0) {
                throw new ApplyException(Reason.INTEGRITY, "entry '" + entry + "': the external file ended at byte "
                        + done + " of " + size + " while it was copied (integrity error)");
            }
            FileIo.pwriteFully(dst, chunk.asSlice(0, n), done);
            done += n;
            counters.bytesCopied += n;
        }
    }

    /** Streams the entry's inline data into {@code dstFd}. */
    void fromInline(TarReader reader, int dstFd) throws IOException {
        InlineSink sink = new InlineSink(dstFd);
        reader.transferInlineData(sink);
        sink.flush();
    }

    /** Gathers inline slices into the native buffer (FFM downcalls cannot take heap arrays) and writes it out. */
    private final class InlineSink implements PieceCursor.SliceSink {
        private final int dst;
        private long fileOffset;
        private int filled;

        InlineSink(int dst) {
            this.dst = dst;
        }

        @Override
        public void accept(byte[] bytes, int offset, int length) throws IOException {
            int done = 0;
            while (done < length) {
                int n = Math.min(length - done, BUFFER_BYTES - filled);
                MemorySegment.copy(bytes, offset + done, buffer, JAVA_BYTE, filled, n);
                filled += n;
                done += n;
                if (filled == BUFFER_BYTES) {
                    flush();
                }
            }
        }

        void flush() throws IOException {
            if (filled > 0) {
                FileIo.pwriteFully(dst, buffer.asSlice(0, filled), fileOffset);
                fileOffset += filled;
                counters.bytesInline += filled;
                filled = 0;
            }
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
