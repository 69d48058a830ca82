package layerfd.conformance.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import layerfd.linux.FileIo;
import layerfd.linux.OwnedFd;
import layerfd.linux.Stat;

/**
 * What the host sees of one received fd, in the shape the in-container consumer reports it (consumer.py
 * {@code describe}): the content's sha256 and length, and the identity of the file (device and inode), so the two
 * sides can be compared field by field.
 */
record HostFdView(String sha256, long length, long devMajor, long devMinor, long inode) {
    /** Reads the whole of {@code fd}'s file through /proc/self/fd (a fresh open: the shared offset is not moved). */
    static HostFdView of(OwnedFd fd) throws IOException {
        Stat stat = FileIo.stat(fd.get());
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long length;
        try (InputStream in = new DigestInputStream(Files.newInputStream(Path.of("/proc/self/fd/" + fd.get())), sha)) {
            length = in.transferTo(OutputStream.nullOutputStream());
        }
        // FileIo.stat packs statx's dev_major and dev_minor into one long: major in the high 32 bits.
        return new HostFdView("sha256:" + HexFormat.of().formatHex(sha.digest()), length, stat.device() >>> 32,
                stat.device() & 0xffff_ffffL, stat.inode());
    }
}
