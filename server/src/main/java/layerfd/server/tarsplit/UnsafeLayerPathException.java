package layerfd.server.tarsplit;

/**
 * A tar-split name that must not be opened: it contains {@code ..}, a NUL byte, names the layer root itself, or
 * (found by the kernel) passes through a symlink or leaves the layer directory. Refused because the store is read
 * as root or in the user namespace, where following such a name could read any file (containers-storage brief §7,
 * "Path safety").
 */
public final class UnsafeLayerPathException extends TarSplitException {
    private static final long serialVersionUID = 1L;

    public UnsafeLayerPathException(String message) {
        super(message);
    }

    public UnsafeLayerPathException(String message, Throwable cause) {
        super(message, cause);
    }
}
