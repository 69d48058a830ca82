package layerfd.server.methods;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import layerfd.linux.Errno;
import layerfd.linux.LinuxException;
import layerfd.protocol.jsonrpc.ErrorCodes;
import layerfd.protocol.jsonrpc.RpcException;
import layerfd.server.store.StoreException;
import layerfd.server.stream.LimitExceededException;
import layerfd.server.tarsplit.TarSplitException;

/** Maps what reading the store and building a stream can throw to the contract's error codes (api-contract §3.5). */
final class Failures {
    /** Linux ENFILE: the system-wide file table is full (not in {@link Errno}). */
    private static final int ENFILE = 23;

    private Failures() {}

    static RpcException toRpc(String method, IOException e) {
        if (outOfDescriptors(e)) {
            // The store wraps open(2) errors in its own exception; running out of fds is a limit, not corruption.
            return new RpcException(ErrorCodes.RESOURCE_LIMIT_REACHED, method + ": the server ran out of file "
                    + "descriptors (" + e.getMessage() + "); try again later, or use OpenLayerStream with a smaller "
                    + "window");
        }
        if (has(e, NoSuchFileException.class)) {
            // A file tar-split names is in none of the layer's directories (the walker wraps the opener's error).
            return new RpcException(ErrorCodes.FILE_MISSING_FROM_LAYER, method + ": " + e.getMessage());
        }
        return switch (e) {
            // The store already typed its failure (layer/image not found, file missing, ambiguous, not streamable).
            case StoreException s -> new RpcException(s.code(), method + ": " + s.getMessage());
            case LimitExceededException l -> new RpcException(ErrorCodes.RESOURCE_LIMIT_REACHED,
                    method + ": " + l.getMessage());
            case TarSplitException t -> new RpcException(ErrorCodes.IO_ERROR, method + ": " + t.getMessage());
            default -> new RpcException(ErrorCodes.IO_ERROR, method + ": " + e.getMessage());
        };
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean outOfDescriptors(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LinuxException l && (l.errno() == Errno.EMFILE || l.errno() == ENFILE)) {
                return true;
            }
        }
        return false;
    }
}
