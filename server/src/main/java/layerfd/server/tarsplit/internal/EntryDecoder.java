package layerfd.server.tarsplit.internal;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import layerfd.server.tarsplit.Crc64;
import layerfd.server.tarsplit.TarSplitEntry;
import layerfd.server.tarsplit.TarSplitFormatException;

/**
 * Turns one JSON object of a tar-split stream into a {@link TarSplitEntry}, reading tokens from a Jackson parser
 * positioned on the object's START_OBJECT. The keys are those of vbatts/tar-split {@code storage.Entry}
 * (containers-storage brief §3.1): {@code type}, {@code name}, {@code name_raw}, {@code size}, {@code payload},
 * {@code position}. Unknown keys are skipped, as Go's {@code encoding/json} does.
 */
public final class EntryDecoder {
    /** storage.FileType. */
    public static final int TYPE_FILE = 1;
    /** storage.SegmentType. */
    public static final int TYPE_SEGMENT = 2;
    /** The value of {@code position} when the line has none. */
    public static final long NO_POSITION = -1;

    private EntryDecoder() {}

    /** Decodes the object the parser stands on; {@code entryNumber} (1-based) goes into every error. */
    public static TarSplitEntry decode(JsonParser parser, long entryNumber) throws IOException {
        Integer type = null;
        byte[] name = null;
        byte[] nameRaw = null;
        long size = 0;
        byte[] payload = null;
        long position = NO_POSITION;
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
            String key = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (key) {
                case "type" -> type = (int) integer(parser, value, key, entryNumber);
                case "name" -> name = value == JsonToken.VALUE_NULL ? null
                        : text(parser, value, key, entryNumber).getBytes(StandardCharsets.UTF_8);
                case "name_raw" -> nameRaw = base64(parser, value, key, entryNumber);
                case "size" -> size = integer(parser, value, key, entryNumber);
                case "payload" -> payload = base64(parser, value, key, entryNumber);
                case "position" -> position = integer(parser, value, key, entryNumber);
                default -> parser.skipChildren(); // a later tar-split may add keys; Go ignores unknown ones too
            }
        }
        if (type == null) {
            throw new TarSplitFormatException(entryNumber, "no \"type\"");
        }
        return switch (type) {
            // A segment's payload is raw archive bytes; Go writes null for none, v1.43 writes "" at the end.
            case TYPE_SEGMENT -> new TarSplitEntry.Segment(payload == null ? new byte[0] : payload);
            case TYPE_FILE -> file(entryNumber, name, nameRaw, size, payload, position);
            default -> throw new TarSplitFormatException(entryNumber,
                    "unknown \"type\" " + type + " (tar-split knows 1 = file, 2 = segment)");
        };
    }

    private static TarSplitEntry file(long entryNumber, byte[] name, byte[] nameRaw, long size, byte[] payload,
                                      long position) throws TarSplitFormatException {
        if (size < 0) {
            throw new TarSplitFormatException(entryNumber, "negative \"size\" " + size);
        }
        // storage.Entry.GetNameBytes: name_raw (set only when the name is not UTF-8) wins over name.
        byte[] bytes = nameRaw != null ? nameRaw : name != null ? name : new byte[0];
        // A file's payload is its CRC-64, 8 bytes big-endian, or null when it has no content.
        if (payload != null && payload.length != Crc64.BYTES) {
            throw new TarSplitFormatException(entryNumber, "\"payload\" of a file entry must be an 8-byte CRC-64, got "
                    + payload.length + " bytes");
        }
        return new TarSplitEntry.FileEntry(bytes, size, Optional.ofNullable(payload), position);
    }

    private static long integer(JsonParser parser, JsonToken value, String key, long entryNumber)
            throws IOException {
        if (value != JsonToken.VALUE_NUMBER_INT) {
            throw new TarSplitFormatException(entryNumber, "\"" + key + "\" must be an integer, got " + value);
        }
        JsonParser.NumberType kind = parser.getNumberType();
        if (kind != JsonParser.NumberType.INT && kind != JsonParser.NumberType.LONG) {
            throw new TarSplitFormatException(entryNumber, "\"" + key + "\" does not fit in 64 bits");
        }
        return parser.getLongValue();
    }

    private static String text(JsonParser parser, JsonToken value, String key, long entryNumber) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            throw new TarSplitFormatException(entryNumber, "\"" + key + "\" must be a string, got " + value);
        }
        return parser.getText();
    }

    /** Go encodes []byte as standard padded base64; null means none. */
    private static byte[] base64(JsonParser parser, JsonToken value, String key, long entryNumber)
            throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        text(parser, value, key, entryNumber);
        try {
            return parser.getBinaryValue(Base64Variants.MIME_NO_LINEFEEDS);
        } catch (StreamReadException e) {
            throw new TarSplitFormatException(entryNumber, "\"" + key + "\" is not base64: " + e.getOriginalMessage(),
                    e);
        }
    }
}
