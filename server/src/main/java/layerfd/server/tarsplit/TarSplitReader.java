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
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_STRING_CHARS).build())
            .build();

    private final JsonParser parser;
    private long entriesRead;

    private TarSplitReader(JsonParser parser) {
        this.parser = parser;
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
        return new TarSplitReader(JSON.createParser(new BufferedInputStream(json, READ_BUFFER_BYTES)));
    }

    /** The next entry, or empty at the end of the stream. */
    public Optional<TarSplitEntry> next() throws IOException {
        long number = entriesRead + 1;
        try {
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
        } catch (JsonProcessingException e) {
            throw new TarSplitFormatException(number, "malformed JSON at line "
                    + parser.currentLocation().getLineNr() + ": " + e.getOriginalMessage(), e);
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

    /** How many entries {@link #next()} has returned. */
    public long entriesRead() {
        return entriesRead;
    }

    /** Closes the parser and the stream under it; idempotent. */
    @Override
    public void close() throws IOException {
        parser.close();
    }
}
