package layerfd.server.tarsplit.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Passes bytes on while computing their sha256 and counting them; closing it does not close the target. */
public final class HashingOutputStream extends FilterOutputStream {
    private final MessageDigest sha256;
    private long count;

    public HashingOutputStream(OutputStream out) {
        super(out);
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        sha256.update((byte) b);
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        sha256.update(b, off, len);
        count += len;
    }

    public long count() {
        return count;
    }

    /** {@code "sha256:<hex>"} of everything written; call once, at the end. */
    public String digest() {
        return "sha256:" + HexFormat.of().formatHex(sha256.digest());
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
