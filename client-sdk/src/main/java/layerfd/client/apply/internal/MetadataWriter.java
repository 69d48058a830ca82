package layerfd.client.apply.internal;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import layerfd.client.apply.ApplyException;
import layerfd.client.apply.ApplyException.Reason;
import layerfd.client.apply.ApplyOptions;
import layerfd.linux.Errno;
import layerfd.linux.FileAttributes;
import layerfd.linux.LinuxException;

/**
 * Owner, permission bits, extended attributes and mtime of one entry, in the order that keeps each of them:
 * chown first (it clears setuid/setgid and security.capability), then chmod, then xattrs, then the mtime last.
 */
final class MetadataWriter {
    private static final System.Logger LOG = System.getLogger(MetadataWriter.class.getName());
    /** The magic link through which lsetxattr reaches a name inside a directory known only by descriptor. */
    private static final String FD_DIRECTORY = "/proc/self/fd/";

    private final ApplyOptions options;
    private final Counters counters;

    MetadataWriter(ApplyOptions options, Counters counters) {
        this.options = options;
        this.counters = counters;
    }

    /** Owner through an open descriptor (regular files, directories). */
    void owner(int fd, TarEntry e, String entry) throws ApplyException {
        if (options.preserveOwners()) {
            try {
                FileAttributes.fchown(fd, e.uid(), e.gid());
            } catch (LinuxException x) {
                throw failed(entry, "set the owner " + e.uid() + ":" + e.gid(), x);
            }
        }
    }

    void xattrs(int fd, TarEntry e, String entry) throws ApplyException {
        for (Xattr x : e.xattrs()) {
            try {
                FileAttributes.fsetxattr(fd, x.name(), x.value());
            } catch (LinuxException ex) {
                xattrFailed(entry, x, ex);
            }
        }
    }

    void mode(int fd, TarEntry e, String entry) throws ApplyException {
        try {
            FileAttributes.fchmod(fd, e.mode());
        } catch (LinuxException x) {
            throw failed(entry, "set the mode " + Integer.toOctalString(e.mode()), x);
        }
    }

    void mtime(int fd, TarEntry e, String entry) throws ApplyException {
        try {
            FileAttributes.setMtime(fd, e.mtimeSeconds(), e.mtimeNanos());
        } catch (LinuxException x) {
            throw failed(entry, "set the mtime", x);
        }
    }

    /**
     * Everything for an entry that cannot be opened (symlink, fifo, device node), by name in its directory, never
     * following a symlink. Symlinks have no mode of their own on Linux, so {@code withMode} is false for them.
     */
    void byName(int dirFd, byte[] name, TarEntry e, String entry, boolean withMode) throws ApplyException {
        try {
            if (options.preserveOwners()) {
                FileAttributes.lchownat(dirFd, name, e.uid(), e.gid());
            }
            if (withMode) {
                FileAttributes.fchmodat(dirFd, name, e.mode());
            }
        } catch (LinuxException x) {
            throw failed(entry, "set the owner or mode", x);
        }
        if (!e.xattrs().isEmpty()) {
            byte[] prefix = (FD_DIRECTORY + dirFd + "/").getBytes(StandardCharsets.US_ASCII);
            byte[] path = new byte[prefix.length + name.length];
            System.arraycopy(prefix, 0, path, 0, prefix.length);
            System.arraycopy(name, 0, path, prefix.length, name.length);
            for (Xattr x : e.xattrs()) {
                try {
                    FileAttributes.lsetxattr(path, x.name(), x.value());
                } catch (LinuxException ex) {
                    xattrFailed(entry, x, ex);
                }
            }
        }
        try {
            FileAttributes.setMtimeNoFollow(dirFd, name, e.mtimeSeconds(), e.mtimeNanos());
        } catch (LinuxException x) {
            throw failed(entry, "set the mtime", x);
        }
    }

    private void xattrFailed(String entry, Xattr x, LinuxException ex) throws ApplyException {
        if (options.strictXattrs()) {
            throw new ApplyException(Reason.NOT_PERMITTED, "entry '" + entry + "': cannot set the extended attribute "
                    + x.name() + " (" + Errno.name(ex.errno()) + ")", ex);
        }
        counters.xattrsFailed++;
        LOG.log(Level.WARNING, "entry ''{0}'': extended attribute {1} not set ({2})", entry, x.name(),
                Errno.name(ex.errno()));
    }

    private static ApplyException failed(String entry, String what, LinuxException x) {
        return new ApplyException(Reason.IO, "entry '" + entry + "': cannot " + what + ": "
                + Errno.name(x.errno()), x);
    }
}
