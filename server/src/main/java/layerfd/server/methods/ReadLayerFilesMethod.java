package layerfd.server.methods;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import layerfd.linux.OwnedFd;
import layerfd.protocol.Methods.Params;
import layerfd.protocol.Methods.Results;
import layerfd.protocol.jsonrpc.ErrorCodes;
import layerfd.protocol.jsonrpc.MethodHandler;
import layerfd.protocol.jsonrpc.Reply;
import layerfd.protocol.jsonrpc.Request;
import layerfd.protocol.jsonrpc.RpcException;

/**
 * {@code ReadLayerFiles {"stream","start","count"}} → {@code {"stream","start","count"}} with {@code count} fds:
 * content fds {@code start..start+count-1} of an open windowed stream, opened now, read-only, beneath the layer's
 * directories. {@code count} is at most the stream's {@code maxFds}. Windows of one stream are served one after
 * another: a request that arrives while the previous window is still being sent (a pipelining client) waits for
 * it, up to {@link #WINDOW_PATIENCE}, then gets -32006; so the server never has more than {@code maxFds} of the
 * stream's fds open. The client should close each window's fds before asking for the next.
 */
final class ReadLayerFilesMethod implements MethodHandler {
    /** How long a window waits for the previous window of its stream to be sent. */
    static final Duration WINDOW_PATIENCE = Duration.ofSeconds(30);

    private final ConnectionState state;

    ReadLayerFilesMethod(ConnectionState state) {
        this.state = state;
    }

    @Override
    public Reply handle(Request request) throws RpcException {
        ParamReader params = ParamReader.of(request);
        String token = params.requiredString(Params.STREAM);
        WindowedStream stream = state.stream(token, params.method());
        int start = params.requiredInt(Params.START, 0, Math.max(0, stream.files() - 1));
        int count = params.requiredInt(Params.COUNT, 1, stream.maxFds());
        if (count > stream.files() - start) {
            throw params.invalid("start " + start + " + count " + count + " passes the " + stream.files()
                    + " content files of stream " + token);
        }
        if (!claim(stream)) {
            throw new RpcException(ErrorCodes.RESOURCE_LIMIT_REACHED, params.method() + ": the previous window of "
                    + "stream " + token + " is still in flight after " + WINDOW_PATIENCE.toSeconds() + " s; read its "
                    + "response before asking for the next window");
        }
        RequestScope scope = RequestScope.current();
        scope.afterSend(stream::windowDone);
        state.reserveFds(count, params.method() + " of stream " + token);
        scope.afterSend(() -> state.fds().release(count));
        List<OwnedFd> fds;
        try {
            fds = stream.open(start, count);
        } catch (IOException e) {
            throw Failures.toRpc(params.method() + " of stream " + token + " (layer " + stream.layerId() + ")", e);
        }
        ObjectNode result = ImageJson.NODES.objectNode();
        result.put(Results.STREAM, token);
        result.put(Results.START, start);
        result.put(Results.COUNT, count);
        return new Reply(result, fds);
    }

    private static boolean claim(WindowedStream stream) throws RpcException {
        try {
            return stream.claimWindow(WINDOW_PATIENCE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcException(ErrorCodes.INTERNAL_ERROR, "interrupted while waiting for a window of stream "
                    + stream.token());
        }
    }
}
