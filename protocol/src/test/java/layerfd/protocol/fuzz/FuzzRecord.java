package layerfd.protocol.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One record of a structured fuzz input: {@code [tag: 1 byte][length: 2 bytes big-endian][length bytes]}. A fuzz
 * input is a sequence of records, the last one cut short where the input ends, so every byte string is a valid
 * input and libFuzzer's mutations keep most of the structure. What a tag means is up to the fuzz test (how many fds
 * ride on a read, whether a piece is inline or external). The seed corpora are written by {@code generate_seeds.py}
 * beside them, which encodes records the same way.
 *
 * @param tag   the record's first byte, 0..255
 * @param bytes the record's payload
 */
public record FuzzRecord(int tag, byte[] bytes) {
    private static final int HEADER_BYTES = 3;

    public FuzzRecord {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    /** The records of {@code input}, at most {@code maxRecords} of them (the rest of the input is ignored). */
    public static List<FuzzRecord> parse(byte[] input, int maxRecords) {
        List<FuzzRecord> records = new ArrayList<>();
        int pos = 0;
        while (pos < input.length && records.size() < maxRecords) {
            int tag = input[pos] & 0xff;
            int length = 0;
            for (int i = 1; i < HEADER_BYTES; i++) {
                length = (length << 8) | (pos + i < input.length ? input[pos + i] & 0xff : 0);
            }
            int start = Math.min(pos + HEADER_BYTES, input.length);
            int end = (int) Math.min((long) start + length, input.length);
            records.add(new FuzzRecord(tag, Arrays.copyOfRange(input, start, end)));
            pos = end;
        }
        return records;
    }

    /** Every record's payload, concatenated. */
    public static byte[] concat(List<FuzzRecord> records) {
        int total = records.stream().mapToInt(FuzzRecord::length).sum();
        byte[] out = new byte[total];
        int pos = 0;
        for (FuzzRecord r : records) {
            System.arraycopy(r.bytes, 0, out, pos, r.bytes.length);
            pos += r.bytes.length;
        }
        return out;
    }
}
