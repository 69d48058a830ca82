package layerfd.helper.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import layerfd.linux.Errno;
import layerfd.linux.LinuxException;
import layerfd.linux.Open;
import layerfd.linux.OwnedFd;

/**
 * The graph roots the helper serves, fixed and opened once at startup (a request cannot name another one), and the
 * one rule for what beneath them may be opened: a layer content directory, {@code overlay/<id>/diff} or
 * {@code vfs/dir/<id>} (containers-storage brief §2.4, §2.5), reached with openat2 RESOLVE_BENEATH |
 * RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS from the root's descriptor, so neither {@code ..} nor a symlink planted
 * in the store can lead elsewhere.
 */
public final class GraphRoots implements AutoCloseable {
    /** Layer ids are 64 lowercase hex digits (containers-storage brief §2.1). */
    static final Pattern CONTENT_DIRECTORY = Pattern.compile("overlay/[0-9a-f]{64}/diff|vfs/dir/[0-9a-f]{64}");
    private static final long RESOLVE = Open.RESOLVE_BENEATH | Open.RESOLVE_NO_SYMLINKS | Open.RESOLVE_NO_MAGICLINKS;
    private static final int DIRECTORY_FLAGS = Open.O_PATH | Open.O_DIRECTORY | Open.O_CLOEXEC;

    /** Each root as the server named it (absolute, normalised) and its directory descriptor. */
    private final Map<String, OwnedFd> roots;

    private GraphRoots(Map<String, OwnedFd> roots) {
        this.roots = roots;
    }

    /** Opens every root; each must be an absolute path of an existing directory. */
    public static GraphRoots open(List<String> paths) throws IOException {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("no graph root given");
        }
        Map<String, OwnedFd> roots = new LinkedHashMap<>();
        try {
            for (String given : paths) {
                Path path = Path.of(given);
                if (!path.isAbsolute()) {
                    throw new IllegalArgumentException("graph root is not an absolute path: " + given);
                }
                String key = path.normalize().toString();
                if (!roots.containsKey(key)) {
                    roots.put(key, Open.open(path.toRealPath().toString(), DIRECTORY_FLAGS, 0));
                }
            }
            GraphRoots opened = new GraphRoots(roots);
            roots = null;
            return opened;
        } finally {
            if (roots != null) {
                roots.values().forEach(OwnedFd::close);
            }
        }
    }

    public List<String> paths() {
        return List.copyOf(roots.keySet());
    }

    /**
     * Opens {@code directory} (absolute, as the server's store reader names it) as an O_PATH descriptor, or throws
     * {@link RefusedException} saying why it is not a content directory beneath a served root.
     */
    public OwnedFd openContentDirectory(String directory) throws RefusedException, LinuxException {
        if (!Path.of(directory).isAbsolute() || !Path.of(directory).normalize().toString().equals(directory)) {
            throw new RefusedException("directory " + directory + " is not an absolute, normalised path");
        }
        for (Map.Entry<String, OwnedFd> root : roots.entrySet()) {
            String prefix = root.getKey().endsWith("/") ? root.getKey() : root.getKey() + "/";
            if (directory.startsWith(prefix)) {
                String relative = directory.substring(prefix.length());
                if (!CONTENT_DIRECTORY.matcher(relative).matches()) {
                    throw new RefusedException("directory " + directory + " is not a layer content directory "
                            + "(overlay/<id>/diff or vfs/dir/<id>) of graph root " + root.getKey());
                }
                try {
                    return Open.openat2(root.getValue().get(), relative.getBytes(StandardCharsets.UTF_8),
                            DIRECTORY_FLAGS, 0, RESOLVE);
                } catch (LinuxException e) {
                    if (e.errno() == Errno.ELOOP || e.errno() == Errno.EXDEV) {
                        throw new RefusedException("directory " + directory + " passes through a symlink");
                    }
                    throw e;
                }
            }
        }
        throw new RefusedException("directory " + directory + " is beneath none of the graph roots " + paths());
    }

    @Override
    public void close() {
        roots.values().forEach(OwnedFd::close);
    }
}
