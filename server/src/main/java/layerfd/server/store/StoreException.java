package layerfd.server.store;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * A failure to read the store, typed so that a server answers with the contract's error code
 * (api-contract.md §3.5) without inspecting messages. The message always says what failed and which id or path.
 */
public final class StoreException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, with the JSON-RPC error code the contract assigns to it. */
    public enum Kind {
        LAYER_NOT_FOUND(-32000),
        IMAGE_NOT_FOUND(-32001),
        FILE_MISSING(-32002),
        IO_OR_INTEGRITY(-32003),
        AMBIGUOUS_PREFIX(-32004),
        NOT_STREAMABLE(-32007);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    private final Kind kind;
    private final List<String> candidates;

    public StoreException(Kind kind, String message) {
        this(kind, message, List.of(), null);
    }

    public StoreException(Kind kind, String message, Throwable cause) {
        this(kind, message, List.of(), cause);
    }

    /** An ambiguous id prefix, with (some of) the ids it matches. */
    public static StoreException ambiguous(String message, List<String> candidates) {
        return new StoreException(Kind.AMBIGUOUS_PREFIX, message, candidates, null);
    }

    private StoreException(Kind kind, String message, List<String> candidates, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.candidates = List.copyOf(candidates);
    }

    public Kind kind() {
        return kind;
    }

    /** The JSON-RPC error code for this failure (api-contract.md §3.5). */
    public int code() {
        return kind.code();
    }

    /** For {@link Kind#AMBIGUOUS_PREFIX}: ids the prefix matched (at most a few); otherwise empty. */
    public List<String> candidates() {
        return candidates;
    }
}
