package layerfd.client.apply.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import layerfd.client.apply.ApplyException;
import layerfd.client.apply.ApplyException.Reason;
import layerfd.client.apply.LayerInput;
import layerfd.client.apply.Piece.ExternalFile;
import layerfd.linux.FileIo;
import layerfd.linux.Stat;

/**
 * Streams tar entries out of a layer's pieces: ustar, GNU (long name {@code L}, long link {@code K}, base-256
 * numbers) and PAX ({@code x} local and {@code g} global records). Headers are checksum-verified. A regular file's
 * data is left in place until the caller takes it, as an external file ({@link #takeExternalData}) or as inline
 * slices ({@link #transferInlineData}); memory stays constant whatever the file sizes.
 */
public final class TarReader implements AutoCloseable {
    static final int BLOCK = 512;
    /** Largest PAX or GNU long-name data held in memory (Go archive/tar's maxSpecialFileSize). */
    static final int MAX_EXTENSION_BYTES = 1024 * 1024;

    private static final int NAME = 0, NAME_LEN = 100;
    private static final int MODE = 100, UID = 108, GID = 116, SIZE = 124, MTIME = 136, CHKSUM = 148;
    private static final int NUM8 = 8, NUM12 = 12;
    private static final int TYPEFLAG = 156;
    private static final int LINKNAME = 157, LINKNAME_LEN = 100;
    private static final int MAGIC = 257, MAGIC_LEN = 8;
    private static final int DEVMAJOR = 329, DEVMINOR = 337;
    private static final int PREFIX = 345, PREFIX_LEN = 155, STAR_PREFIX_LEN = 131;
    private static final int STAR_TRAILER = 508;
    private static final byte[] USTAR_MAGIC = "ustar\u000000".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STAR_TRAILER_MAGIC = "tar\u0000".getBytes(StandardCharsets.US_ASCII);

    private final PieceCursor cursor;
    private final byte[] block = new byte[BLOCK];
    private final Map<String, byte[]> globalPax = new HashMap<>();
    private TarEntry current;
    private long dataLeft;
    private boolean dataStarted;
    private long padding;
    private boolean finished;

    public TarReader(LayerInput input) {
        this.cursor = new PieceCursor(input);
    }

    /** Tar bytes consumed so far, external file contents included. */
    public long offset() {
        return cursor.offset();
    }

    /** The next entry, or {@code null} after the end-of-archive blocks (or a clean end of input). */
    public TarEntry next() throws IOException {
        skipRestOfEntry();
        if (finished) {
            return null;
        }
        byte[] longName = null;
        byte[] longLink = null;
        Map<String, byte[]> localPax = Map.of();
        while (true) {
            if (!readHeaderBlock()) {
                return null;
            }
            char typeflag = (char) (block[TYPEFLAG] & 0xff);
            long size = TarNumbers.parse(block, SIZE, NUM12, "size");
            switch (typeflag) {
                case 'L' -> longName = cString(readExtension(size, "GNU long name"));
                case 'K' -> longLink = cString(readExtension(size, "GNU long link name"));
                case 'x' -> localPax = PaxRecords.parse(readExtension(size, "PAX header"), (int) size);
                case 'g' -> mergeGlobal(PaxRecords.parse(readExtension(size, "PAX global header"), (int) size));
                case 'V' -> skipData(size, "GNU volume label"); // an archive label, not a file
                default -> {
                    current = entry(typeflag, size, longName, longLink, localPax);
                    dataLeft = current.type().headerOnly() ? 0 : current.size();
                    dataStarted = false;
                    padding = padding(dataLeft);
                    return current;
                }
            }
        }
    }

    /**
     * The current regular file's data as an external file, when the stream put one exactly at the start of its data
     * region; {@code null} when the data is inline. The size is checked against the header (fstat), and the caller
     * owns the returned piece.
     */
    public ExternalFile takeExternalData() throws IOException {
        if (current == null || current.type() != EntryType.REGULAR || dataStarted) {
            return null;
        }
        ExternalFile file = cursor.takeExternal();
        if (file == null) {
            return null;
        }
        dataStarted = true;
        Stat stat;
        try {
            stat = FileIo.stat(file.fd().get());
        } catch (IOException e) {
            file.close();
            throw e;
        }
        if (!stat.isRegularFile() || stat.size() != current.size()) {
            file.close();
            throw new ApplyException(Reason.INTEGRITY, "entry '" + current.printablePath() + "': the external file "
                    + (stat.isRegularFile() ? "holds " + stat.size() + " bytes" : "is not a regular file")
                    + " but the tar header says " + current.size() + " bytes (integrity error)");
        }
        cursor.advance(stat.size());
        dataLeft = 0;
        return file;
    }

    /** Hands the current regular file's inline data to {@code sink}, in slices. */
    public void transferInlineData(PieceCursor.SliceSink sink) throws IOException {
        dataStarted = true;
        long n = dataLeft;
        dataLeft = 0;
        cursor.transfer(n, sink, "the data of '" + current.printablePath() + "'");
    }

    private void skipRestOfEntry() throws IOException {
        if (current == null) {
            return;
        }
        ExternalFile unwanted = takeExternalData(); // a data region nobody asked for: still size-checked
        if (unwanted != null) {
            unwanted.close();
        }
        if (dataLeft > 0) {
            skipData(dataLeft, "the data of '" + current.printablePath() + "'");
            dataLeft = 0;
        }
        cursor.skip(padding, "the padding after '" + current.printablePath() + "'");
        padding = 0;
        current = null;
    }

    /** Reads one header block; false at a clean end (end of input or the end-of-archive blocks). */
    private boolean readHeaderBlock() throws IOException {
        if (cursor.atEnd()) {
            finished = true; // no end-of-archive blocks: accepted, as GNU tar and Go do
            return false;
        }
        cursor.readFully(block, BLOCK, "a tar header");
        if (isZero(block)) {
            if (!cursor.atEnd()) {
                cursor.readFully(block, BLOCK, "the end-of-archive blocks");
                if (!isZero(block)) {
                    throw new ApplyException(Reason.MALFORMED_TAR,
                            "a zero block followed by a header at tar offset " + (cursor.offset() - BLOCK));
                }
            }
            finished = true;
            drainTrailer();
            return false;
        }
        verifyChecksum();
        return true;
    }

    /** Whatever follows the end-of-archive blocks (record padding) is read and ignored, its fds closed. */
    private void drainTrailer() throws IOException {
        cursor.skipToEnd();
    }

    private void verifyChecksum() throws ApplyException {
        long stored = TarNumbers.parse(block, CHKSUM, NUM8, "chksum");
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = (i >= CHKSUM && i < CHKSUM + NUM8) ? ' ' : block[i];
            unsigned += b & 0xff;
            signed += b; // historic writers summed signed chars; POSIX and GNU tar accept both
        }
        if (stored != unsigned && stored != signed) {
            throw new ApplyException(Reason.MALFORMED_TAR, "tar header at offset " + (cursor.offset() - BLOCK)
                    + " ('" + printable(field(NAME, NAME_LEN)) + "'): checksum " + stored
                    + " does not match the header's " + unsigned);
        }
    }

    private TarEntry entry(char typeflag, long headerSize, byte[] longName, byte[] longLink,
                           Map<String, byte[]> localPax) throws IOException {
        byte[] path = longName != null ? longName : ustarName();
        byte[] link = longLink != null ? longLink : field(LINKNAME, LINKNAME_LEN);
        long uid = TarNumbers.parse(block, UID, NUM8, "uid");
        long gid = TarNumbers.parse(block, GID, NUM8, "gid");
        long mtime = TarNumbers.parse(block, MTIME, NUM12, "mtime");
        long mtimeNanos = 0;
        long size = headerSize;
        List<Xattr> xattrs = new ArrayList<>();
        Map<String, byte[]> pax = new HashMap<>(globalPax);
        pax.putAll(localPax);
        for (Map.Entry<String, byte[]> r : pax.entrySet()) {
            String key = r.getKey();
            byte[] v = r.getValue();
            if (v.length == 0) {
                continue; // an empty value deletes the keyword: the header field stands
            }
            if (key.startsWith(PaxRecords.GNU_SPARSE_PREFIX)) {
                throw unsupported(path, "a sparse file (PAX " + key + ")");
            }
            switch (key) {
                case PaxRecords.PATH -> path = v;
                case PaxRecords.LINKPATH -> link = v;
                case PaxRecords.SIZE -> size = TarNumbers.decimal(v, key);
                case PaxRecords.UID -> uid = TarNumbers.decimal(v, key);
                case PaxRecords.GID -> gid = TarNumbers.decimal(v, key);
                case PaxRecords.MTIME -> {
                    long[] t = PaxRecords.time(v);
                    mtime = t[0];
                    mtimeNanos = t[1];
                }
                default -> {
                    if (key.startsWith(PaxRecords.XATTR_PREFIX)) {
                        xattrs.add(new Xattr(key.substring(PaxRecords.XATTR_PREFIX.length()), v));
                    }
                }
            }
        }
        if (size < 0) {
            throw TarNumbers.malformed("size", "negative size " + size + " for '" + printable(path) + "'");
        }
        EntryType type = type(typeflag, path);
        int mode = (int) (TarNumbers.parse(block, MODE, NUM8, "mode") & 07777);
        long major = TarNumbers.parse(block, DEVMAJOR, NUM8, "devmajor");
        long minor = TarNumbers.parse(block, DEVMINOR, NUM8, "devminor");
        return new TarEntry(type, path, link, mode, uid, gid, size, mtime, mtimeNanos, major, minor,
                List.copyOf(xattrs));
    }

    private EntryType type(char typeflag, byte[] path) throws ApplyException {
        return switch (typeflag) {
            // '\0' is the pre-POSIX regular file; with a trailing slash it was how V7 tar wrote directories.
            case '\0' -> path.length > 0 && path[path.length - 1] == '/' ? EntryType.DIRECTORY : EntryType.REGULAR;
            case '0', '7' -> EntryType.REGULAR;
            case '1' -> EntryType.HARDLINK;
            case '2' -> EntryType.SYMLINK;
            case '3' -> EntryType.CHAR_DEVICE;
            case '4' -> EntryType.BLOCK_DEVICE;
            case '5' -> EntryType.DIRECTORY;
            case '6' -> EntryType.FIFO;
            case 'S' -> throw unsupported(path, "a GNU sparse file (typeflag 'S')");
            default -> throw unsupported(path, "entry type '" + TarNumbers.printable(new byte[] {(byte) typeflag}, 0, 1)
                    + "'");
        };
    }

    private static ApplyException unsupported(byte[] path, String what) {
        return new ApplyException(Reason.UNSUPPORTED, "entry '" + printable(path) + "': " + what
                + " is not supported");
    }

    /** ustar splits long names into prefix + "/" + name; GNU and v7 headers have no prefix field. */
    private byte[] ustarName() {
        byte[] name = field(NAME, NAME_LEN);
        byte[] magic = Arrays.copyOfRange(block, MAGIC, MAGIC + MAGIC_LEN);
        if (!Arrays.equals(magic, USTAR_MAGIC)) { // GNU ("ustar  \0") and v7 headers have no prefix
            return name;
        }
        boolean star = Arrays.equals(Arrays.copyOfRange(block, STAR_TRAILER, BLOCK), STAR_TRAILER_MAGIC);
        byte[] prefix = field(PREFIX, star ? STAR_PREFIX_LEN : PREFIX_LEN);
        if (prefix.length == 0) {
            return name;
        }
        byte[] joined = Arrays.copyOf(prefix, prefix.length + 1 + name.length);
        joined[prefix.length] = '/';
        System.arraycopy(name, 0, joined, prefix.length + 1, name.length);
        return joined;
    }

    private byte[] readExtension(long size, String what) throws IOException {
        if (size > MAX_EXTENSION_BYTES) {
            throw new ApplyException(Reason.MALFORMED_TAR, what + " of " + size + " bytes exceeds the limit of "
                    + MAX_EXTENSION_BYTES + " (tar offset " + cursor.offset() + ")");
        }
        byte[] data = new byte[(int) size];
        cursor.readFully(data, data.length, "a " + what);
        cursor.skip(padding(size), "the padding after a " + what);
        return data;
    }

    private void skipData(long size, String what) throws IOException {
        cursor.skip(size, what);
        cursor.skip(padding(size), "the padding after " + what);
    }

    private void mergeGlobal(Map<String, byte[]> records) {
        for (Map.Entry<String, byte[]> r : records.entrySet()) {
            if (r.getValue().length == 0) {
                globalPax.remove(r.getKey());
            } else {
                globalPax.put(r.getKey(), r.getValue());
            }
        }
    }

    private byte[] field(int start, int length) {
        int end = start;
        while (end < start + length && block[end] != 0) {
            end++;
        }
        return Arrays.copyOfRange(block, start, end);
    }

    private static byte[] cString(byte[] data) {
        int end = 0;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        return Arrays.copyOf(data, end);
    }

    static long padding(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String printable(byte[] path) {
        return layerfd.linux.Open.printable(path);
    }

    @Override
    public void close() throws IOException {
        cursor.close();
    }
}
