package layerfd.client.apply.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import layerfd.client.apply.ApplyException;
import layerfd.client.apply.ApplyException.Reason;
import layerfd.linux.Open;

/**
 * A cleaned path inside the destination: its components, none empty, "." or "..". Cleaning removes "." and empty
 * components and resolves ".." lexically; a path that would climb above the destination, or that is absolute, is
 * refused. Lexical ".." is exact here because no path is ever resolved through a symlink (RESOLVE_NO_SYMLINKS).
 */
public final class EntryPath {
    static final EntryPath ROOT = new EntryPath(List.of());

    private final List<byte[]> components;

    private EntryPath(List<byte[]> components) {
        this.components = components;
    }

    /** Cleans {@code raw}; {@code role} says what the path is for messages ("entry", "hardlink target"). */
    public static EntryPath clean(byte[] raw, String entry, String role) throws ApplyException {
        if (raw.length > 0 && raw[0] == '/') {
            throw new ApplyException(Reason.UNSAFE_PATH, "entry '" + entry + "': " + role + " '"
                    + Open.printable(raw) + "' is absolute; layer paths are relative to the destination");
        }
        for (byte b : raw) {
            if (b == 0) {
                throw new ApplyException(Reason.MALFORMED_TAR, "entry '" + entry + "': " + role
                        + " contains a NUL byte");
            }
        }
        List<byte[]> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= raw.length; i++) {
            if (i == raw.length || raw[i] == '/') {
                int len = i - start;
                if (len == 2 && raw[start] == '.' && raw[start + 1] == '.') {
                    if (parts.isEmpty()) {
                        throw new ApplyException(Reason.UNSAFE_PATH, "entry '" + entry + "': " + role + " '"
                                + Open.printable(raw) + "' leaves the destination");
                    }
                    parts.removeLast();
                } else if (len > 0 && !(len == 1 && raw[start] == '.')) {
                    byte[] part = new byte[len];
                    System.arraycopy(raw, start, part, 0, len);
                    parts.add(part);
                }
                start = i + 1;
            }
        }
        return new EntryPath(List.copyOf(parts));
    }

    public boolean isRoot() {
        return components.isEmpty();
    }

    /** The last component; the root has none. */
    public byte[] name() {
        return components.getLast();
    }

    public EntryPath parent() {
        return new EntryPath(components.subList(0, components.size() - 1));
    }

    EntryPath child(byte[] name) {
        List<byte[]> c = new ArrayList<>(components);
        c.add(name);
        return new EntryPath(List.copyOf(c));
    }

    public List<byte[]> components() {
        return components;
    }

    /** The components joined by '/', as bytes ("." for the root), for openat2. */
    public byte[] bytes() {
        if (components.isEmpty()) {
            return new byte[] {'.'};
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] c : components) {
            if (out.size() > 0) {
                out.write('/');
            }
            out.writeBytes(c);
        }
        return out.toByteArray();
    }

    /** A lossless string key (one char per byte) for sets of paths. */
    String key() {
        return new String(bytes(), StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return isRoot() ? "." : Open.printable(bytes());
    }
}
