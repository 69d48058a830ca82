package layerfd.server.tarsplit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import layerfd.linux.Open;

/**
 * One line of a tar-split file (vbatts/tar-split {@code storage.Entry}; containers-storage brief §3.1). Values are
 * immutable: byte arrays are copied in and out.
 */
public sealed interface TarSplitEntry {

    /**
     * {@code "type":2}: raw archive bytes (headers, PAX and GNU long-name blocks, padding, end blocks, trailing
     * bytes) to be emitted verbatim. May be empty: tar-split of containers-storage v1.43 ends with an empty one.
     */
    record Segment(byte[] bytes) implements TarSplitEntry {
        public Segment {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        /** Number of bytes, without copying them. */
        public int length() {
            return bytes.length;
        }

        /** Writes the bytes to {@code out} without copying them. */
        public void writeTo(OutputStream out) throws IOException {
            out.write(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Segment s && Arrays.equals(bytes, s.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Segment[" + bytes.length + " bytes]";
        }
    }

    /**
     * {@code "type":1}: one tar header's file. {@code name} is the raw name bytes (from {@code name_raw} when the
     * name is not UTF-8, else {@code name}), exactly as in the archive, e.g. {@code ./etc/hello}. {@code size} is 0
     * for directories, links, devices, whiteouts and empty files; only entries with {@code size > 0} have content.
     * {@code crc64} is the 8-byte big-endian CRC-64/GO-ISO of the content ({@code payload}), absent when size is 0.
     * {@code position} is tar-split's sequence counter, -1 when the line has none; nothing depends on it.
     */
    record FileEntry(byte[] name, long size, Optional<byte[]> crc64, long position) implements TarSplitEntry {
        public FileEntry {
            if (size < 0) {
                throw new IllegalArgumentException("negative size " + size + " for " + Open.printable(name));
            }
            name = name.clone();
            if (crc64.isPresent() && crc64.get().length != Crc64.BYTES) {
                throw new IllegalArgumentException("CRC-64 of " + Open.printable(name) + " has "
                        + crc64.get().length + " bytes, not " + Crc64.BYTES);
            }
            crc64 = crc64.map(byte[]::clone);
        }

        @Override
        public byte[] name() {
            return name.clone();
        }

        @Override
        public Optional<byte[]> crc64() {
            return crc64.map(byte[]::clone);
        }

        /** The CRC-64 as a number ({@link Crc64#getValue()}), absent when {@link #crc64()} is. */
        public OptionalLong crc64Value() {
            return crc64.isPresent() ? OptionalLong.of(ByteBuffer.wrap(crc64.get()).getLong()) : OptionalLong.empty();
        }

        /** Whether the entry has content to copy from the layer. */
        public boolean hasContent() {
            return size > 0;
        }

        /** The name for messages: UTF-8 where it is, other bytes as {@code \xNN}. */
        public String printableName() {
            return Open.printable(name);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FileEntry f && size == f.size && position == f.position
                    && Arrays.equals(name, f.name)
                    && Arrays.equals(crc64.orElse(null), f.crc64.orElse(null));
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(name) * 31 + Long.hashCode(size);
        }

        @Override
        public String toString() {
            return "FileEntry[name=" + printableName() + ", size=" + size + ", crc64="
                    + (crc64.isPresent() ? Crc64.toHex(crc64Value().getAsLong()) : "none")
                    + ", position=" + position + "]";
        }
    }
}
