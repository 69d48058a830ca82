package layerfd.client.apply.internal;

/** One extended attribute from a PAX {@code SCHILY.xattr.<name>} record; the value may be any bytes. */
public record Xattr(String name, byte[] value) {
}
