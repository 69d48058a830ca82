package layerfd.linux;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Writes a borrowed descriptor with pwrite(2) from a starting offset, keeping its own position, so the descriptor's
 * shared file offset is neither used nor moved (the memfd a server fills and then hands out must still be at offset
 * 0). It does not own the fd: closing the stream releases only its buffer.
 */
public final class FdOutputStream extends OutputStream {
    /** One pwrite(2) moves at most this much; also the size of the native bounce buffer. */
    public static final int BUFFER_BYTES = 64 * 1024;

    private final OwnedFd fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer = arena.allocate(BUFFER_BYTES);
    private long position;
    private boolean closed;

    /** Writes {@code fd} from offset 0. */
    public FdOutputStream(OwnedFd fd) {
        this(fd, 0);
    }

    /** Writes {@code fd} from {@code offset}. */
    public FdOutputStream(OwnedFd fd, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("negative file offset: " + offset);
        }
        this.fd = Objects.requireNonNull(fd, "fd");
        this.position = offset;
    }

    /** The file offset the next write starts at. */
    public long position() {
        return position;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("stream closed (fd " + fd + ")");
        }
        int done = 0;
        while (done < len) {
            int n = Math.min(len - done, BUFFER_BYTES);
            MemorySegment slice = buffer.asSlice(0, n);
            MemorySegment.copy(b, off + done, slice, ValueLayout.JAVA_BYTE, 0, n);
            FileIo.pwriteFully(fd.get(), slice, position);
            position += n;
            done += n;
        }
    }

    /** Frees the bounce buffer; the descriptor stays open (its owner closes it). */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }
}
