package layerfd.client.apply;

import java.util.Objects;
import layerfd.linux.OwnedFd;

/**
 * One piece of a layer's tar as a splitfdstream delivers it (splitfdstream §1.2 dialect [A], api-contract §3.3):
 * either inline bytes, cut anywhere (inside a header too), or a whole external file that stands exactly where a
 * regular file's data region is.
 */
public sealed interface Piece extends AutoCloseable {

    /** Bytes of the tar, {@code length} of them from {@code offset} in {@code bytes}. The array is not copied. */
    record InlineBytes(byte[] bytes, int offset, int length) implements Piece {
        public InlineBytes {
            Objects.requireNonNull(bytes, "bytes");
            Objects.checkFromIndexSize(offset, length, bytes.length);
        }

        public InlineBytes(byte[] bytes) {
            this(bytes, 0, bytes.length);
        }

        @Override
        public void close() {}
    }

    /**
     * A regular file's whole content, offset 0 to EOF. The piece owns {@code fd}; the applier closes it once used.
     * It is read only at explicit offsets (pread, FICLONE, copy_file_range): a received fd shares its file offset
     * with the sender (splitfdstream §4).
     */
    record ExternalFile(OwnedFd fd) implements Piece {
        public ExternalFile {
            Objects.requireNonNull(fd, "fd");
        }

        @Override
        public void close() {
            fd.close();
        }
    }

    /** Releases what the piece owns (an external fd); idempotent. */
    @Override
    void close();
}
