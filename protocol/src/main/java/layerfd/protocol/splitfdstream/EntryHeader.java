package layerfd.protocol.splitfdstream;

import java.util.Objects;

/**
 * What the entry-framed dialect needs from one tar header: the entry's name (after PAX {@code path} or a GNU
 * {@code L} long name), its type flag and its size (after PAX {@code size}).
 */
public record EntryHeader(String name, byte typeflag, long size) {
    /** POSIX regular file. */
    public static final byte TYPE_REG = '0';
    /** Pre-POSIX regular file (NUL type flag); Go reads it as a directory when the name ends in '/'. */
    public static final byte TYPE_REG_A = 0;

    public EntryHeader {
        Objects.requireNonNull(name, "name");
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size + " for tar entry " + name);
        }
    }

    /**
     * Whether a content chunk follows this header in dialect [B]: a regular file with size &gt; 0 (brief §1.2, the
     * old Go iterator's rule {@code Typeflag==TypeReg||TypeRegA} and {@code Size>0}).
     */
    public boolean hasContent() {
        boolean regular = typeflag == TYPE_REG || (typeflag == TYPE_REG_A && !name.endsWith("/"));
        return regular && size > 0;
    }
}
