package layerfd.conformance.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Reads conformance-tests/vectors/splitfdstream: cases.json, the stream files, and the content "fills". */
final class VectorFiles {
    /** Surefire runs with the module directory as working directory. */
    static final Path FOLDER = Path.of("vectors", "splitfdstream");
    static final String CASES = "cases.json";

    private VectorFiles() {}

    static JsonNode cases() {
        try {
            return new ObjectMapper().readTree(FOLDER.resolve(CASES).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FOLDER.resolve(CASES).toAbsolutePath(), e);
        }
    }

    static byte[] file(String name) throws IOException {
        return Files.readAllBytes(FOLDER.resolve(name));
    }

    /** Bytes given as {"hex": ...} or {"size"|"length": N, "fill": "zeros"|"mod251"}. */
    static byte[] bytes(JsonNode spec) throws IOException {
        if (spec.has("hex")) {
            return HexFormat.of().parseHex(spec.get("hex").asText());
        }
        return fill(length(spec), spec.get("fill").asText()).readAllBytes();
    }

    static long length(JsonNode spec) {
        return spec.has("size") ? spec.get("size").asLong() : spec.get("length").asLong();
    }

    /** The bytes of a fill as a stream, so that 256 MiB need never sit in memory. */
    static InputStream fill(long length, String kind) {
        if (!kind.equals("zeros") && !kind.equals("mod251")) {
            throw new IllegalArgumentException("unknown fill " + kind);
        }
        boolean zeros = kind.equals("zeros");
        return new InputStream() {
            private long position;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : Byte.toUnsignedInt(one[0]);
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position == length) {
                    return -1;
                }
                int n = (int) Math.min(len, length - position);
                for (int i = 0; i < n; i++) {
                    b[off + i] = zeros ? 0 : (byte) ((position + i) % 251);
                }
                position += n;
                return n;
            }
        };
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static String sha256(byte[] data) {
        return HexFormat.of().formatHex(sha256().digest(data));
    }
}
