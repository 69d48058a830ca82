package layerfd.client.apply.internal;

import layerfd.client.apply.ApplyException;
import layerfd.client.apply.ApplyException.Reason;

/**
 * Numeric header fields: octal ASCII (POSIX ustar), or base-256 when the first byte has its high bit set (the GNU
 * and star extension for values that do not fit, e.g. uids above 2097151 or files of 8 GiB and more).
 */
final class TarNumbers {
    private static final int BASE256_FLAG = 0x80;
    private static final int NEGATIVE_BASE256 = 0xff;
    /** More decimal digits than this cannot fit a signed 64-bit value (Long.MAX_VALUE has 19). */
    private static final int MAX_DECIMAL_DIGITS = 19;

    private TarNumbers() {}

    static long parse(byte[] block, int start, int length, String field) throws ApplyException {
        int first = block[start] & 0xff;
        if ((first & BASE256_FLAG) != 0) {
            return base256(block, start, length, field);
        }
        return octal(block, start, length, field);
    }

    /** Two's complement big-endian, the flag bit masked from the first byte (as GNU tar and Go read it). */
    private static long base256(byte[] block, int start, int length, String field) throws ApplyException {
        int invert = (block[start] & 0xff) == NEGATIVE_BASE256 ? 0xff : 0;
        long value = 0;
        for (int i = 0; i < length; i++) {
            int c = (block[start + i] & 0xff) ^ invert;
            if (i == 0) {
                c &= 0x7f;
            }
            if ((value >>> 55) != 0) {
                throw malformed(field, "base-256 value overflows 63 bits");
            }
            value = (value << 8) | c;
        }
        return invert != 0 ? ~value : value;
    }

    /** Octal digits, surrounded by any number of spaces and NULs; an all-blank field is 0. */
    private static long octal(byte[] block, int start, int length, String field) throws ApplyException {
        int from = start;
        int to = start + length;
        while (from < to && (block[from] == ' ' || block[from] == 0)) {
            from++;
        }
        while (to > from && (block[to - 1] == ' ' || block[to - 1] == 0)) {
            to--;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int d = block[i] - '0';
            if (d < 0 || d > 7) {
                throw malformed(field, "'" + printable(block, start, length) + "' is not an octal number");
            }
            if ((value >>> 60) != 0) {
                throw malformed(field, "octal value overflows 63 bits");
            }
            value = (value << 3) | d;
        }
        return value;
    }

    /** A PAX decimal (size, uid, gid): digits only, no sign. */
    static long decimal(byte[] value, String key) throws ApplyException {
        if (value.length == 0 || value.length > MAX_DECIMAL_DIGITS) {
            throw malformed("PAX " + key, "'" + printable(value, 0, value.length) + "' is not a decimal number");
        }
        long result = 0;
        for (byte b : value) {
            if (b < '0' || b > '9') {
                throw malformed("PAX " + key, "'" + printable(value, 0, value.length) + "' is not a decimal number");
            }
            result = Math.multiplyExact(result, 10) + (b - '0');
        }
        return result;
    }

    static ApplyException malformed(String field, String detail) {
        return new ApplyException(Reason.MALFORMED_TAR, "tar header field " + field + ": " + detail);
    }

    static String printable(byte[] bytes, int start, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = start; i < start + length; i++) {
            int b = bytes[i] & 0xff;
            sb.append(b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b));
        }
        return sb.toString();
    }
}
