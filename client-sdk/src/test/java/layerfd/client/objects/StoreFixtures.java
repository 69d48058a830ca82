package layerfd.client.objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import layerfd.client.apply.LayerInput;
import layerfd.client.apply.LayerSource;
import layerfd.client.testing.ServerSplit;
import layerfd.client.testing.TarSpec;

/**
 * Helpers of the object store tests: layers from crafted tars cut as the server cuts them, image descriptions, a
 * parsed image document, and the document rendered as {@link layerfd.client.testing.TreeManifest} lines so that it
 * can be compared with a tree the extractor wrote.
 */
final class StoreFixtures {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int S_IFREG = 0100000, S_IFDIR = 0040000, S_IFLNK = 0120000, S_IFIFO = 0010000,
            S_IFCHR = 0020000, S_IFBLK = 0060000;

    private StoreFixtures() {}

    /** Layer sources for tars; each is cut anew, into {@code work}, every time it is opened. */
    static List<LayerSource> layers(Path work, TarSpec... specs) throws IOException {
        List<LayerSource> sources = new ArrayList<>();
        for (int i = 0; i < specs.length; i++) {
            Path tar = specs[i].write(Files.createTempDirectory(work, "tar").resolve("layer" + i + ".tar"));
            sources.add(new LayerSource("layer" + i, () -> open(tar, work)));
        }
        return sources;
    }

    static LayerInput open(Path tar, Path work) throws IOException {
        Path dir = Files.createTempDirectory(work, "split");
        return LayerInput.of(ServerSplit.split(tar, dir, ServerSplit.SERVER_INLINE_THRESHOLD, ServerSplit.WHOLE)
                .pieces());
    }

    static ImageDescription image(String id, int layerCount) {
        List<ImageDescription.Layer> layers = new ArrayList<>();
        for (int i = 0; i < layerCount; i++) {
            layers.add(new ImageDescription.Layer("layer" + i, "sha256:" + "%064x".formatted(i)));
        }
        return new ImageDescription(id, List.of("localhost/" + id + ":latest"), "sha256:" + "a".repeat(64),
                "sha256:" + "c".repeat(64), layers);
    }

    static String imageId(char c) {
        return String.valueOf(c).repeat(64);
    }

    static JsonNode document(ObjectStore store, String imageId) throws IOException {
        return JSON.readTree(Files.readAllBytes(store.documentPath(imageId)));
    }

    /** The path of an entry as bytes, from {@code path} or {@code pathBase64}. */
    static byte[] path(JsonNode e) {
        return e.has("path") ? e.get("path").asText().getBytes(StandardCharsets.UTF_8)
                : Base64.getDecoder().decode(e.get("pathBase64").asText());
    }

    static byte[] target(JsonNode e) {
        return e.has("target") ? e.get("target").asText().getBytes(StandardCharsets.UTF_8)
                : Base64.getDecoder().decode(e.get("targetBase64").asText());
    }

    /** A regular file's content: its object's bytes or its inline bytes. */
    static byte[] content(ObjectStore store, JsonNode e) throws IOException {
        return e.has("digest") ? Files.readAllBytes(store.objectPath(e.get("digest").asText()))
                : Base64.getDecoder().decode(e.get("inline").asText());
    }

    /** Every object digest the document references. */
    static List<String> digests(JsonNode doc) {
        List<String> out = new ArrayList<>();
        doc.get("entries").forEach(e -> {
            if (e.has("digest")) {
                out.add(e.get("digest").asText());
            }
        });
        return out;
    }

    /** The document as TreeManifest would list the tree it describes (the root's mtime left out likewise). */
    static String manifest(ObjectStore store, JsonNode doc) throws IOException {
        Map<String, JsonNode> byPath = new HashMap<>();
        Map<String, Integer> links = new HashMap<>();
        for (JsonNode e : doc.get("entries")) {
            String p = new String(path(e), StandardCharsets.ISO_8859_1);
            byPath.put(p, e);
            String inode = e.get("type").asText().equals("hardlink")
                    ? new String(target(e), StandardCharsets.ISO_8859_1) : p;
            links.merge(inode, 1, Integer::sum);
        }
        StringBuilder out = new StringBuilder();
        for (JsonNode e : doc.get("entries")) {
            byte[] path = path(e);
            String p = new String(path, StandardCharsets.ISO_8859_1);
            String first = p;
            JsonNode file = e;
            if (e.get("type").asText().equals("hardlink")) {
                first = new String(target(e), StandardCharsets.ISO_8859_1);
                file = byPath.get(first);
            }
            List<String> f = new ArrayList<>();
            f.add(show(path));
            f.add("0o" + Integer.toOctalString(typeBits(file.get("type").asText()) | file.get("mode").asInt()));
            f.add("uid=" + file.get("uid").asLong());
            f.add("gid=" + file.get("gid").asLong());
            if (!p.equals("/")) {
                f.add("mtime=" + (file.get("mtime").asLong() * 1_000_000_000L + file.get("mtimeNanos").asLong()));
            }
            switch (file.get("type").asText()) {
                case "file" -> {
                    byte[] data = content(store, file);
                    f.add("size=" + data.length);
                    f.add("sha256=" + sha256(data));
                    f.add("nlink=" + links.get(first));
                    f.add("inode-of=" + show(first.getBytes(StandardCharsets.ISO_8859_1)));
                }
                case "symlink" -> f.add("target=" + text(target(file)));
                case "char", "block" -> f.add("rdev=" + file.get("major").asLong() + "," + file.get("minor").asLong());
                default -> { }
            }
            if (file.has("xattrs")) {
                Map<String, String> sorted = new TreeMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = file.get("xattrs").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> x = it.next();
                    sorted.put(x.getKey(), HexFormat.of().formatHex(Base64.getDecoder().decode(x.getValue().asText())));
                }
                sorted.forEach((k, v) -> f.add("xattr:" + k + "=" + v));
            }
            out.append(String.join(" ", f)).append('\n');
        }
        return out.toString();
    }

    private static int typeBits(String type) {
        return switch (type) {
            case "file" -> S_IFREG;
            case "dir" -> S_IFDIR;
            case "symlink" -> S_IFLNK;
            case "fifo" -> S_IFIFO;
            case "char" -> S_IFCHR;
            case "block" -> S_IFBLK;
            default -> throw new IllegalArgumentException(type);
        };
    }

    /** TreeManifest's names: relative, "." for the root, UTF-8 with other bytes as \xNN (Python backslashreplace). */
    static String show(byte[] absolute) {
        return absolute.length == 1 ? "." : text(java.util.Arrays.copyOfRange(absolute, 1, absolute.length));
    }

    /** UTF-8 with other bytes as \xNN (Python backslashreplace). */
    static String text(byte[] rel) {
        StringBuilder out = new StringBuilder();
        var decoder = StandardCharsets.UTF_8.newDecoder();
        int i = 0;
        while (i < rel.length) {
            int b = rel[i] & 0xff;
            int len = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
            try {
                if (i + len > rel.length) {
                    throw new java.nio.charset.CharacterCodingException();
                }
                out.append(decoder.decode(java.nio.ByteBuffer.wrap(rel, i, len)));
                i += len;
            } catch (java.nio.charset.CharacterCodingException x) {
                out.append(String.format("\\x%02x", b));
                i++;
            }
        }
        return out.toString();
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code bytes} pseudo-random bytes from {@code seed}, as TarSpec's "hex:" data. */
    static String data(int seed, int bytes) {
        byte[] b = new byte[bytes];
        new java.util.Random(seed).nextBytes(b);
        return "hex:" + HexFormat.of().formatHex(b);
    }

    static byte[] bytesOf(String data) {
        return HexFormat.of().parseHex(data.substring("hex:".length()));
    }
}
