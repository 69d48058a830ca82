package layerfd.client.testing;

import java.nio.file.Path;

/**
 * A canonical listing of a directory tree, one line per entry in sorted byte order: type and mode, owner, mtime in
 * nanoseconds, size and sha256 of regular files, link targets, device numbers, every extended attribute in hex, and
 * hardlink identity (the first path sharing the inode). Two trees are the same tree exactly when their manifests are
 * equal. Python reads names as bytes, so names that are not UTF-8 compare exactly too.
 */
public final class TreeManifest {
    private static final String SCRIPT = """
            import hashlib, os, stat, sys
            root = os.fsencode(sys.argv[1])
            root_mtime = sys.argv[2] == 'with-root-mtime'
            first_path = {}
            def show(rel):
                return rel.decode('utf-8', 'backslashreplace') if rel else '.'
            def entry(rel):
                p = root + b'/' + rel if rel else root
                st = os.lstat(p)
                f = [show(rel), oct(st.st_mode), 'uid=%d' % st.st_uid, 'gid=%d' % st.st_gid]
                if rel or root_mtime:
                    f.append('mtime=%d' % st.st_mtime_ns)
                if stat.S_ISREG(st.st_mode):
                    h = hashlib.sha256()
                    with open(p, 'rb') as fh:
                        for block in iter(lambda: fh.read(1 << 20), b''):
                            h.update(block)
                    f += ['size=%d' % st.st_size, 'sha256=' + h.hexdigest(), 'nlink=%d' % st.st_nlink]
                    key = (st.st_dev, st.st_ino)
                    f.append('inode-of=' + show(first_path.setdefault(key, rel)))
                elif stat.S_ISLNK(st.st_mode):
                    f.append('target=' + show(os.readlink(p)))
                elif stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
                    f.append('rdev=%d,%d' % (os.major(st.st_rdev), os.minor(st.st_rdev)))
                for name in sorted(os.listxattr(p, follow_symlinks=False)):
                    f.append('xattr:%s=%s' % (name, os.getxattr(p, name, follow_symlinks=False).hex()))
                print(' '.join(f))
                if stat.S_ISDIR(st.st_mode):
                    for name in sorted(os.listdir(p)):
                        entry(rel + b'/' + name if rel else name)
            entry(b'')
            """;

    private TreeManifest() {}

    /** The manifest of {@code root}; the root directory's own mtime is left out (an extractor may not own it). */
    public static String of(Path root) {
        return Processes.python(SCRIPT, new byte[0], root.toString(), "without-root-mtime");
    }
}
