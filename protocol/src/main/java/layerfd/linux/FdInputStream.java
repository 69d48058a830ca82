package layerfd.linux;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Reads a borrowed descriptor with pread(2) from a starting offset up to end of file, keeping its own position.
 * A received content fd shares its file offset with the sender (splitfdstream brief §1.1: "never rely on the
 * current offset"), so this stream neither uses nor moves that offset. It does not own the fd: closing the stream
 * releases only its buffer; the {@link OwnedFd} must stay open while the stream is read.
 */
public final class FdInputStream extends InputStream {
    /** One pread(2) moves at most this much; also the size of the native bounce buffer. */
    public static final int BUFFER_BYTES = 64 * 1024;

    private final OwnedFd fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer = arena.allocate(BUFFER_BYTES);
    private long position;
    private boolean closed;

    /** Reads {@code fd} from offset 0. */
    public FdInputStream(OwnedFd fd) {
        this(fd, 0);
    }

    /** Reads {@code fd} from {@code offset}. */
    public FdInputStream(OwnedFd fd, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("negative file offset: " + offset);
        }
        this.fd = Objects.requireNonNull(fd, "fd");
        this.position = offset;
    }

    /** The file offset the next read starts at. */
    public long position() {
        return position;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : Byte.toUnsignedInt(one[0]);
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("stream closed (fd " + fd + ")");
        }
        if (len == 0) {
            return 0;
        }
        int want = Math.min(len, BUFFER_BYTES);
        long n = FileIo.pread(fd.get(), buffer.asSlice(0, want), position);
        if (n == 0) {
            return -1;
        }
        MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, b, off, (int) n);
        position += n;
        return (int) n;
    }

    @Override
    public long transferTo(OutputStream out) throws IOException {
        byte[] chunk = new byte[BUFFER_BYTES];
        long total = 0;
        for (int n; (n = read(chunk, 0, chunk.length)) > 0; ) {
            out.write(chunk, 0, n);
            total += n;
        }
        return total;
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
