package layerfd.protocol.splitfdstream.internal;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import layerfd.protocol.splitfdstream.SplitFdStreamException;

/**
 * The two PAX extended-header keys that change what a [B] entry frames: {@code path} and {@code size}.
 * Records are {@code "<length> <key>=<value>\n"} (POSIX pax, "extended header"); other keys are skipped.
 */
record PaxRecords(String path, Long size) {
    /** A record length field of more than 9 digits would describe a record over 1 GB: refuse it. */
    private static final int MAX_LENGTH_DIGITS = 9;

    static PaxRecords parse(byte[] data, Function<String, SplitFdStreamException> bad) throws SplitFdStreamException {
        String path = null;
        Long size = null;
        int pos = 0;
        while (pos < data.length) {
            int space = indexOf(data, (byte) ' ', pos);
            int length = space < 0 ? -1 : decimal(data, pos, space);
            if (length <= 0 || pos + length > data.length || data[pos + length - 1] != '\n') {
                throw bad.apply("malformed PAX record at data byte " + pos);
            }
            String record = new String(data, space + 1, pos + length - 1 - (space + 1), StandardCharsets.UTF_8);
            int equals = record.indexOf('=');
            if (equals < 1) {
                throw bad.apply("PAX record at data byte " + pos + " has no key=value");
            }
            String key = record.substring(0, equals);
            String value = record.substring(equals + 1);
            if (key.equals("path")) {
                path = value;
            } else if (key.equals("size")) {
                try {
                    size = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw bad.apply("PAX size '" + value + "' is not a decimal number");
                }
                if (size < 0) {
                    throw bad.apply("PAX size " + size + " is negative");
                }
            }
            pos += length;
        }
        return new PaxRecords(path, size);
    }

    private static int indexOf(byte[] data, byte wanted, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** The decimal number in {@code data[from..to)}, or -1 if it is not one. */
    private static int decimal(byte[] data, int from, int to) {
        if (to == from || to - from > MAX_LENGTH_DIGITS) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < to; i++) {
            if (data[i] < '0' || data[i] > '9') {
                return -1;
            }
            value = value * 10 + (data[i] - '0');
        }
        return value;
    }
}
