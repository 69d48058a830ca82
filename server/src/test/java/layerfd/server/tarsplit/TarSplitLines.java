package layerfd.server.tarsplit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;

/** Builds a tar-split by hand, line by line in tar-split's own JSON, for tests that need exact control. */
final class TarSplitLines {
    private final StringBuilder lines = new StringBuilder();
    private long position;

    TarSplitLines segment(byte[] bytes) {
        return raw("{\"type\":2,\"payload\":\"" + b64(bytes) + "\",\"position\":" + position++ + "}");
    }

    /** A file entry for {@code content}, with its real CRC-64, or none for empty content, as Go writes it. */
    TarSplitLines file(String name, byte[] content) {
        String crc = content.length == 0 ? "null" : "\"" + b64(Crc64.toBytes(Crc64.checksum(content))) + "\"";
        String size = content.length == 0 ? "" : ",\"size\":" + content.length;
        return raw("{\"type\":1,\"name\":\"" + name + "\"" + size + ",\"payload\":" + crc + ",\"position\":"
                + position++ + "}");
    }

    TarSplitLines fileRaw(byte[] name, byte[] content) {
        return raw("{\"type\":1,\"name_raw\":\"" + b64(name) + "\",\"size\":" + content.length + ",\"payload\":\""
                + b64(Crc64.toBytes(Crc64.checksum(content))) + "\",\"position\":" + position++ + "}");
    }

    /** Any line, verbatim; a newline is added. */
    TarSplitLines raw(String json) {
        lines.append(json).append('\n');
        return this;
    }

    byte[] json() {
        return lines.toString().getBytes(StandardCharsets.UTF_8);
    }

    byte[] gzip() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(json());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
