package layerfd.protocol.jsonrpc;

/**
 * Serves one method. The request's fds are closed when the handler returns unless it took them
 * ({@link JsonRpcMessage#takeFd(int)}). A thrown {@link RpcException} becomes one error response.
 */
@FunctionalInterface
public interface MethodHandler {
    Reply handle(Request request) throws RpcException;
}
