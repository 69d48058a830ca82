package layerfd.protocol.fdpass.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * The one Jackson configuration of the wire: numbers stay exact (an id 9007199254740993 or 1.10 is echoed as
 * received), duplicate keys are a syntax error (peers disagree which one wins, so an ambiguous {@code "fds"} could
 * hand fds to the wrong message), output is compact.
 */
public final class FdpassJson {
    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
    public static final JsonFactory FACTORY = MAPPER.getFactory();

    private FdpassJson() {}
}
