package layerfd.protocol.fdpass.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;
import layerfd.protocol.fdpass.FramingException;

/**
 * Finds where one JSON value ends in a stream fed piece by piece, with Jackson's non-blocking parser: a syntax
 * error is reported as soon as the offending byte arrives, not when the value would have ended (README §5.3.2).
 * Offsets are counted from the first byte fed. One scanner per message.
 */
final class JsonValueScanner implements AutoCloseable {
    /** Returned by {@link #feed} while the value is incomplete. */
    static final int INCOMPLETE = -1;

    private final JsonParser parser;
    private final ByteArrayFeeder feeder;
    private int depth;

    JsonValueScanner() {
        try {
            this.parser = FdpassJson.FACTORY.createNonBlockingByteArrayParser();
        } catch (IOException e) {
            throw new IllegalStateException("Jackson cannot create a non-blocking parser", e);
        }
        this.feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
    }

    /**
     * Feeds the next bytes of the stream. Returns the offset just past the end of the first value, or
     * {@link #INCOMPLETE}. Bytes after the end are not examined.
     */
    int feed(byte[] bytes, int offset, int length) throws FramingException {
        try {
            feeder.feedInput(bytes, offset, offset + length);
            for (JsonToken token = parser.nextToken(); token != JsonToken.NOT_AVAILABLE; token = parser.nextToken()) {
                if (token == null) {
                    return INCOMPLETE;
                }
                if (token.isStructStart()) {
                    depth++;
                } else if (token.isStructEnd()) {
                    depth--;
                }
                if (depth == 0) {
                    // Just past the closing brace. (currentTokenLocation() is off by the number of newlines in the
                    // value for this parser in Jackson 2.22, so it is not used.)
                    return Math.toIntExact(parser.currentLocation().getByteOffset());
                }
            }
            return INCOMPLETE;
        } catch (JsonProcessingException e) {
            long at = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
            throw new FramingException("invalid JSON at byte " + at + " of the message: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new FramingException("invalid JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            throw new IllegalStateException("closing an in-memory parser failed", e);
        }
    }
}
