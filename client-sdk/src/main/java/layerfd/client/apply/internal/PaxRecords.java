package layerfd.client.apply.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import layerfd.client.apply.ApplyException;

/**
 * PAX extended header records (POSIX pax, "pax Extended Header"): {@code "%d %s=%s\n"}, the decimal length counting
 * the whole record. Values stay bytes: xattr values are binary and paths need not be UTF-8 (hdrcharset=BINARY).
 */
final class PaxRecords {
    static final String PATH = "path";
    static final String LINKPATH = "linkpath";
    static final String SIZE = "size";
    static final String UID = "uid";
    static final String GID = "gid";
    static final String MTIME = "mtime";
    static final String XATTR_PREFIX = "SCHILY.xattr.";
    static final String GNU_SPARSE_PREFIX = "GNU.sparse.";
    private static final int MAX_FRACTION_DIGITS = 9;

    private PaxRecords() {}

    /** Parses {@code length} bytes of an {@code x} or {@code g} entry's data; later records win. */
    static Map<String, byte[]> parse(byte[] data, int length) throws ApplyException {
        Map<String, byte[]> records = new LinkedHashMap<>();
        int pos = 0;
        while (pos < length) {
            if (data[pos] == 0) {
                break; // some writers pad the data region with NULs; nothing follows them
            }
            int space = indexOf(data, (byte) ' ', pos, length);
            if (space < 0) {
                throw TarNumbers.malformed("PAX record", "no length at offset " + pos);
            }
            int recordLength = (int) TarNumbers.decimal(Arrays.copyOfRange(data, pos, space), "record length");
            int end = pos + recordLength;
            if (recordLength <= space - pos + 1 || end > length || data[end - 1] != '\n') {
                throw TarNumbers.malformed("PAX record", "bad length " + recordLength + " at offset " + pos);
            }
            int equals = indexOf(data, (byte) '=', space + 1, end - 1);
            if (equals < 0) {
                throw TarNumbers.malformed("PAX record", "no '=' in the record at offset " + pos);
            }
            String key = new String(data, space + 1, equals - space - 1, StandardCharsets.UTF_8);
            records.put(key, Arrays.copyOfRange(data, equals + 1, end - 1));
            pos = end;
        }
        return records;
    }

    /** PAX mtime: {@code [-]seconds[.fraction]}; returns {seconds, nanoseconds} with 0 <= nanoseconds < 10^9. */
    static long[] time(byte[] value) throws ApplyException {
        String text = new String(value, StandardCharsets.US_ASCII);
        boolean negative = text.startsWith("-");
        String unsigned = negative ? text.substring(1) : text;
        int dot = unsigned.indexOf('.');
        String whole = dot < 0 ? unsigned : unsigned.substring(0, dot);
        String fraction = dot < 0 ? "" : unsigned.substring(dot + 1);
        if (whole.isEmpty() || !whole.chars().allMatch(Character::isDigit)
                || !fraction.chars().allMatch(Character::isDigit)) {
            throw TarNumbers.malformed("PAX mtime", "'" + text + "' is not a time");
        }
        long seconds = TarNumbers.decimal(whole.getBytes(StandardCharsets.US_ASCII), MTIME);
        String digits = (fraction + "000000000").substring(0, MAX_FRACTION_DIGITS); // finer digits are dropped
        long nanos = Long.parseLong(digits);
        if (!negative) {
            return new long[] {seconds, nanos};
        }
        // -1.25 is 1.25 s before the epoch: seconds -2, nanoseconds 750000000 (timespec keeps nsec non-negative).
        return nanos == 0 ? new long[] {-seconds, 0} : new long[] {-seconds - 1, 1_000_000_000L - nanos};
    }

    private static int indexOf(byte[] data, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
