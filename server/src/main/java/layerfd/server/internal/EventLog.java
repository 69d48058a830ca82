package layerfd.server.internal;

import java.io.PrintStream;
import java.time.Clock;
import java.time.format.DateTimeFormatter;

/**
 * Structured log lines on one stream (stderr), one event per line in logfmt ({@code key=value}, values with spaces,
 * quotes or {@code =} quoted): {@code time=… event=request method=GetSplitFDStream id=7 uid=0 pid=42 ms=12 fds=701
 * outcome=ok}. Only metadata is logged, never file contents or stream bytes. Thread-safe.
 */
public final class EventLog {
    private final PrintStream out;
    private final Clock clock;

    public EventLog(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    /** Logs {@code event} with alternating keys and values. */
    public void log(String event, Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must come in pairs");
        }
        StringBuilder line = new StringBuilder(128);
        line.append("time=").append(DateTimeFormatter.ISO_INSTANT.format(clock.instant()));
        line.append(" event=").append(event);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            line.append(' ').append(keysAndValues[i]).append('=').append(quote(String.valueOf(keysAndValues[i + 1])));
        }
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    static String quote(String value) {
        boolean plain = !value.isEmpty();
        for (int i = 0; i < value.length() && plain; i++) {
            char c = value.charAt(i);
            plain = c > ' ' && c != '"' && c != '=' && c != '\\' && c < 0x7f;
        }
        if (plain) {
            return value;
        }
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"', '\\' -> quoted.append('\\').append(c);
                case '\n' -> quoted.append("\\n");
                default -> {
                    if (c < ' ') {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
