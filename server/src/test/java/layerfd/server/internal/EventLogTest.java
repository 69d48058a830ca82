package layerfd.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class EventLogTest {
    @Test
    void oneLogfmtLinePerEventWithValuesQuotedOnlyWhenNeeded() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        EventLog log = new EventLog(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC));
        log.log("request", "method", "GetImage", "id", 7, "message", "image \"x\" not found", "empty", "",
                "eq", "a=b", "nl", "a\nb");
        assertEquals("time=2026-01-02T03:04:05Z event=request method=GetImage id=7 "
                + "message=\"image \\\"x\\\" not found\" empty=\"\" eq=\"a=b\" nl=\"a\\nb\"\n",
                bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void keysAndValuesMustPair() {
        EventLog log = new EventLog(new PrintStream(new ByteArrayOutputStream()), Clock.systemUTC());
        assertThrows(IllegalArgumentException.class, () -> log.log("x", "lonely"));
    }
}
