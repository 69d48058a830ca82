package layerfd.server.tarsplit;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the layer record says the rebuilt tar must be: {@code diff-digest} (sha256 of the uncompressed tar) and
 * {@code diff-size} (its length, {@value #UNKNOWN_SIZE} when unknown, e.g. TOC-only layers; containers-storage
 * brief §2.1 and §7). Either may be unknown; what is known is checked.
 */
public record ExpectedLayer(Optional<String> diffDigest, long diffSize) {
    /** {@code diff-size} of a layer whose length is not recorded. */
    public static final long UNKNOWN_SIZE = -1;
    private static final Pattern SHA256_DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final ExpectedLayer UNKNOWN = new ExpectedLayer(Optional.empty(), UNKNOWN_SIZE);

    public ExpectedLayer {
        diffDigest.ifPresent(d -> {
            if (!SHA256_DIGEST.matcher(d).matches()) {
                throw new IllegalArgumentException("diff-digest must be sha256:<64 lowercase hex>, got " + d);
            }
        });
        if (diffSize < UNKNOWN_SIZE) {
            throw new IllegalArgumentException("diff-size must be -1 (unknown) or at least 0, got " + diffSize);
        }
    }

    /** Nothing known: the tar is rebuilt and measured, not checked against a record. */
    public static ExpectedLayer unknown() {
        return UNKNOWN;
    }

    /** A layer record's {@code diff-digest} and {@code diff-size} (-1 for unknown). */
    public static ExpectedLayer of(String diffDigest, long diffSize) {
        return new ExpectedLayer(Optional.of(diffDigest), diffSize);
    }
}
