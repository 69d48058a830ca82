package layerfd.protocol.splitfdstream.internal;

import static layerfd.protocol.splitfdstream.SplitFdStreamException.Problem.BAD_ENTRY_HEADER;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import layerfd.protocol.splitfdstream.EntryHeader;
import layerfd.protocol.splitfdstream.SplitFdStreamException;

/**
 * Parses the header chunk of a dialect [B] entry (brief §1.2): one 512-byte ustar/GNU header, optionally preceded
 * by PAX {@code x}/{@code g} or GNU {@code L}/{@code K} blocks with their data, as Go's {@code archive/tar}
 * {@code Writer.WriteHeader} emits them. Only what decides whether content follows is extracted: name, type, size.
 */
public final class TarHeaderParser {
    public static final int BLOCK_BYTES = 512;

    private static final int NAME_OFFSET = 0;
    private static final int NAME_LENGTH = 100;
    private static final int SIZE_OFFSET = 124;
    private static final int SIZE_LENGTH = 12;
    private static final int CHECKSUM_OFFSET = 148;
    private static final int CHECKSUM_LENGTH = 8;
    private static final int TYPEFLAG_OFFSET = 156;
    private static final int MAGIC_OFFSET = 257;
    private static final byte[] USTAR_MAGIC = "ustar\0".getBytes(StandardCharsets.US_ASCII);
    private static final int PREFIX_OFFSET = 345;
    private static final int PREFIX_LENGTH = 155;
    private static final byte BASE256_MARKER = (byte) 0x80;

    private static final byte TYPE_PAX = 'x';
    private static final byte TYPE_PAX_GLOBAL = 'g';
    private static final byte TYPE_GNU_LONG_NAME = 'L';
    private static final byte TYPE_GNU_LONG_LINK = 'K';

    private final byte[] bytes;
    private final long streamOffset;

    private TarHeaderParser(byte[] bytes, long streamOffset) {
        this.bytes = bytes;
        this.streamOffset = streamOffset;
    }

    /** Parses {@code bytes}, the data of the inline header chunk whose prefix sits at {@code streamOffset}. */
    public static EntryHeader parse(byte[] bytes, long streamOffset) throws SplitFdStreamException {
        return new TarHeaderParser(bytes, streamOffset).parse();
    }

    private EntryHeader parse() throws SplitFdStreamException {
        if (bytes.length == 0 || bytes.length % BLOCK_BYTES != 0) {
            throw bad("header chunk of " + bytes.length + " bytes is not a whole number of 512-byte tar blocks");
        }
        String paxPath = null;
        Long paxSize = null;
        String longName = null;
        for (int block = 0; block < bytes.length; ) {
            checkBlock(block);
            byte type = bytes[block + TYPEFLAG_OFFSET];
            long size = number(block + SIZE_OFFSET, SIZE_LENGTH);
            if (type == TYPE_PAX || type == TYPE_PAX_GLOBAL || type == TYPE_GNU_LONG_NAME
                    || type == TYPE_GNU_LONG_LINK) {
                int dataStart = block + BLOCK_BYTES;
                if (size > bytes.length - dataStart) {
                    throw bad("'" + (char) type + "' block at " + block + " announces " + size
                            + " bytes of data but the header chunk ends first");
                }
                byte[] data = Arrays.copyOfRange(bytes, dataStart, dataStart + (int) size);
                if (type == TYPE_PAX) {
                    PaxRecords pax = PaxRecords.parse(data, this::bad);
                    paxPath = pax.path() != null ? pax.path() : paxPath;
                    paxSize = pax.size() != null ? pax.size() : paxSize;
                } else if (type == TYPE_GNU_LONG_NAME) {
                    longName = cString(data, 0, data.length);
                }
                block = dataStart + roundUpToBlock((int) size);
                continue;
            }
            if (block + BLOCK_BYTES != bytes.length) {
                throw bad("header chunk has " + (bytes.length - block - BLOCK_BYTES)
                        + " bytes after the entry's header block");
            }
            String name = paxPath != null ? paxPath : longName != null ? longName : ustarName(block);
            return new EntryHeader(name, type, paxSize != null ? paxSize : size);
        }
        throw bad("header chunk holds only extension blocks, no entry header");
    }

    private void checkBlock(int block) throws SplitFdStreamException {
        boolean zero = true;
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK_BYTES; i++) {
            byte b = (i >= CHECKSUM_OFFSET && i < CHECKSUM_OFFSET + CHECKSUM_LENGTH) ? (byte) ' ' : bytes[block + i];
            zero &= bytes[block + i] == 0;
            unsigned += Byte.toUnsignedInt(b);
            signed += b;
        }
        if (zero) {
            throw bad("zero block at " + block + ": dialect [B] has no end-of-archive blocks");
        }
        long stored = number(block + CHECKSUM_OFFSET, CHECKSUM_LENGTH);
        // Like Go's archive/tar, accept the unsigned or the historical signed sum.
        if (stored != unsigned && stored != signed) {
            throw bad("tar block at " + block + " has checksum " + stored + ", computed " + unsigned);
        }
    }

    private String ustarName(int block) {
        String name = cString(bytes, block + NAME_OFFSET, NAME_LENGTH);
        boolean posix = Arrays.equals(bytes, block + MAGIC_OFFSET, block + MAGIC_OFFSET + USTAR_MAGIC.length,
                USTAR_MAGIC, 0, USTAR_MAGIC.length);
        String prefix = posix ? cString(bytes, block + PREFIX_OFFSET, PREFIX_LENGTH) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** A tar numeric field: octal ASCII, or base-256 big-endian when the top bit of the first byte is set. */
    private long number(int offset, int length) throws SplitFdStreamException {
        if ((bytes[offset] & BASE256_MARKER) != 0) {
            if (bytes[offset] == (byte) 0xff) {
                throw bad("negative base-256 number at block byte " + offset);
            }
            long value = bytes[offset] & 0x7f;
            for (int i = 1; i < length; i++) {
                if (value > (Long.MAX_VALUE >>> 8)) {
                    throw bad("base-256 number at block byte " + offset + " does not fit in 63 bits");
                }
                value = (value << 8) | Byte.toUnsignedInt(bytes[offset + i]);
            }
            return value;
        }
        String text = cString(bytes, offset, length).trim();
        if (text.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(text, 8);
        } catch (NumberFormatException e) {
            throw bad("numeric field at block byte " + offset + " is not octal: '" + text + "'");
        }
    }

    private static String cString(byte[] data, int offset, int length) {
        int end = offset;
        while (end < offset + length && data[end] != 0) {
            end++;
        }
        return new String(data, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static int roundUpToBlock(int size) {
        return (size + BLOCK_BYTES - 1) / BLOCK_BYTES * BLOCK_BYTES;
    }

    private SplitFdStreamException bad(String detail) {
        return new SplitFdStreamException(BAD_ENTRY_HEADER, streamOffset, detail);
    }
}
