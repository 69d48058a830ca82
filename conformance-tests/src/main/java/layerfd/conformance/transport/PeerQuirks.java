package layerfd.conformance.transport;

/**
 * Documented defects of a peer that make some checks impossible (jsonrpc-fdpass brief §11). With a quirk set,
 * exactly those checks report SKIP with the reason instead of FAIL; the default {@link #NONE} is strict.
 */
public enum PeerQuirks {
    /** Strict: use against layerfd and the Rust crate. */
    NONE,
    /** Go jsonrpc-fdpass-go: ids become float64 (lose exactness above 2^53), a nil result is omitted. */
    GO;

    /** The option value ({@code none}, {@code go}) as the Rust/Go clients' {@code --server-quirks} spell it. */
    public static PeerQuirks parse(String value) {
        for (PeerQuirks q : values()) {
            if (q.name().equalsIgnoreCase(value)) {
                return q;
            }
        }
        throw new IllegalArgumentException("unknown peer quirks '" + value + "' (expected none or go)");
    }
}
