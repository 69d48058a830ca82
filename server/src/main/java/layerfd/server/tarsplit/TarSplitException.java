package layerfd.server.tarsplit;

import java.io.IOException;

/**
 * Why a layer could not be read from its tar-split: the file is malformed ({@link TarSplitFormatException}), the
 * layer's content does not match it ({@link TarSplitIntegrityException}), or a name would reach outside the layer
 * ({@link UnsafeLayerPathException}). Messages are meant for a person: they name the entry and the file.
 */
public abstract sealed class TarSplitException extends IOException
        permits TarSplitFormatException, TarSplitIntegrityException, UnsafeLayerPathException {
    private static final long serialVersionUID = 1L;

    TarSplitException(String message) {
        super(message);
    }

    TarSplitException(String message, Throwable cause) {
        super(message, cause);
    }
}
