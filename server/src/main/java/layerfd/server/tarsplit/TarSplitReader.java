package layerfd.server.tarsplit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import layerfd.server.tarsplit.internal.EntryDecoder;

/**
 * Reads a tar-split stream entry by entry: {@code <layer-id>.tar-split.gz} is gzip (pgzip) of newline-separated
 * JSON objects written by Go's {@code json.Encoder} (containers-storage brief §3.1). Memory stays constant whatever
 * the layer size: only one entry is held at a time, and a single string (a segment's base64) may be at most
 * {@link #MAX_STRING_CHARS} characters. The reader owns the stream it is given and closes it.
 */
public final class TarSplitReader implements AutoCloseable {
    /**
     * Longest JSON string accepted: the base64 of a 16 MiB segment. Current tar-split cuts trailing data into
     * segments of at most 1 MiB; older versions (containers-storage v1.43) wrote all bytes after the end blocks as
     * one segment, so real files can exceed 1 MiB, but a layer with more than 16 MiB of trailing garbage is refused.
     */
    public static final int MAX_STRING_CHARS = 4 * ((16 << 20) / 3 + 1);
    private static final int READ_BUFFER_BYTES = 64 << 10;
    /** Enough bytes to see a byte-order mark or the NULs of a UTF-16/UTF-32 first character. */
    private static final int ENCODING_PROBE_BYTES = 4;
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_STRING_CHARS).build())
            .build();

    private final BufferedInputStream in;
    /** Made at the first {@link #next()}, after the encoding check: Jackson guesses the encoding when made. */
    private JsonParser parser;
    private long entriesRead;

    private TarSplitReader(BufferedInputStream in) {
        this.in = in;
    }

    /** A reader of a gzip-compressed tar-split, as containers-storage stores it. */
    public static TarSplitReader fromGzip(InputStream gzip) throws IOException {
        try {
            return fromJsonLines(new GZIPInputStream(gzip, READ_BUFFER_BYTES));
        } catch (ZipException | EOFException e) {
            gzip.close();
            throw gzipProblem(1, e);
        }
    }

    /** A reader of an uncompressed tar-split (newline-separated JSON). */
    public static TarSplitReader fromJsonLines(InputStream json) throws IOException {
        return new TarSplitReader(new BufferedInputStream(json, READ_BUFFER_BYTES));
    }

    /**
     * Go writes tar-split as UTF-8. Jackson would guess UTF-16 or UTF-32 from NUL bytes or a byte-order mark at
     * the start and then fail with errors of its own (found by fuzzing), so such input is refused here, by name.
     */
    private static void requireUtf8(BufferedInputStream in) throws IOException {
        // Called from next(), whose handlers turn a gzip failure while peeking into a format error.
        in.mark(ENCODING_PROBE_BYTES);
        byte[] head = in.readNBytes(ENCODING_PROBE_BYTES);
        in.reset();
        boolean utf16Bom = head.length >= 2 && ((head[0] & 0xff) == 0xfe && (head[1] & 0xff) == 0xff
                || (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xfe);
        boolean nul = false;
        for (byte b : head) {
            nul |= b == 0;
        }
        if (utf16Bom || nul) {
            throw new TarSplitFormatException(1, "not UTF-8 JSON lines (the start looks like UTF-16 or UTF-32)");
        }
    }

    /** The next entry, or empty at the end of the stream. */
    public Optional<TarSplitEntry> next() throws IOException {
        long number = entriesRead + 1;
        try {
            if (parser == null) {
                requireUtf8(in);
                parser = JSON.createParser(in);
            }
            JsonToken token = parser.nextToken();
            if (token == null) {
                return Optional.empty();
            }
            if (token != JsonToken.START_OBJECT) {
                throw new TarSplitFormatException(number, "expected a JSON object at line "
                        + parser.currentTokenLocation().getLineNr() + ", got " + token);
            }
            TarSplitEntry entry = EntryDecoder.decode(parser, number);
            entriesRead = number;
            return Optional.of(entry);
        } catch (TarSplitFormatException e) {
            throw e;
        } catch (java.io.CharConversionException e) {
            throw new TarSplitFormatException(number, "not UTF-8 at line " + line()
                    + ": " + e.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new TarSplitFormatException(number, "malformed JSON at line "
                    + line() + ": " + e.getOriginalMessage(), e);
        } catch (ZipException | EOFException e) {
            throw gzipProblem(number, e);
        }
    }

    /**
     * GZIPInputStream: a cut-off file ends in EOFException, a damaged one (bad magic, bad deflate data, bad CRC
     * or length in the trailer) in ZipException; either way the stream is not a whole tar-split.
     */
    private static TarSplitFormatException gzipProblem(long entryNumber, IOException e) {
        String what = e instanceof EOFException ? "gzip data is truncated" : "not a valid gzip stream";
        return new TarSplitFormatException(entryNumber, what + " (" + e.getMessage() + ")", e);
    }

    private int line() {
        return parser == null ? 1 : parser.currentLocation().getLineNr();
    }

    /** How many entries {@link #next()} has returned. */
    public long entriesRead() {
        return entriesRead;
    }

    /** Closes the parser and the stream under it; idempotent. */
    @Override
    public void close() throws IOException {
        try (in) {
            if (parser != null) {
                parser.close();
            }
        }
    }
}
