package layerfd.protocol.splitfdstream;

import java.io.IOException;

/**
 * A splitfdstream is malformed, or does not fit the content fds it came with. {@link #problem()} says what kind of
 * defect (its {@link Problem#code()} is the error name the language-neutral vectors use), {@link #offset()} the
 * byte offset in the stream of the chunk prefix at fault, and the message says both in words.
 */
public final class SplitFdStreamException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The kinds of defect, each with the stable name used by conformance-tests/vectors/splitfdstream. */
    public enum Problem {
        /** 1–7 bytes of a prefix before EOF (an error in layerfd and Go; a clean end in Rust). */
        TRUNCATED_PREFIX("truncated-prefix"),
        /** EOF inside the data of an inline chunk. */
        TRUNCATED_INLINE("truncated-inline"),
        /** An inline chunk longer than the reader's limit, detected before its data is read. */
        INLINE_TOO_LARGE("inline-too-large"),
        /** The prefix {@code Long.MIN_VALUE}, which has no positive length. */
        INVALID_PREFIX("invalid-prefix"),
        /** An external index of 2^31 or more. */
        INDEX_TOO_LARGE("index-too-large"),
        /** An external index with no content fd behind it. */
        INDEX_OUT_OF_RANGE("index-out-of-range"),
        /** Entry-framed dialect [B]: an entry starts with an external chunk instead of an inline tar header. */
        HEADER_NOT_INLINE("header-not-inline"),
        /** Entry-framed dialect [B]: the header chunk is not a well-formed tar header. */
        BAD_ENTRY_HEADER("bad-entry-header"),
        /** Entry-framed dialect [B]: a regular file with content has no content chunk before EOF. */
        MISSING_CONTENT("missing-content"),
        /** Entry-framed dialect [B]: the content chunk's length differs from the tar header's size. */
        CONTENT_SIZE_MISMATCH("content-size-mismatch");

        private final String code;

        Problem(String code) {
            this.code = code;
        }

        /** The stable error name, e.g. {@code truncated-inline}. */
        public String code() {
            return code;
        }
    }

    private final Problem problem;
    private final long offset;

    public SplitFdStreamException(Problem problem, long offset, String detail) {
        super("splitfdstream " + problem.code() + " at byte " + offset + ": " + detail);
        this.problem = problem;
        this.offset = offset;
    }

    public Problem problem() {
        return problem;
    }

    /** Byte offset in the stream of the chunk prefix at fault. */
    public long offset() {
        return offset;
    }
}
