package layerfd.conformance.peer;

import static layerfd.conformance.transport.TransportMethods.CREATE_PIPE;
import static layerfd.conformance.transport.TransportMethods.ECHO;
import static layerfd.conformance.transport.TransportMethods.ECHO_FDS;
import static layerfd.conformance.transport.TransportMethods.FD_COUNT;
import static layerfd.conformance.transport.TransportMethods.FD_COUNT_PREFIX_BYTES;
import static layerfd.conformance.transport.TransportMethods.READ_FILE;
import static layerfd.conformance.transport.TransportMethods.SHUTDOWN;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import layerfd.conformance.internal.FdContent;
import layerfd.linux.OwnedFd;
import layerfd.linux.Pipe;
import layerfd.protocol.jsonrpc.ErrorCodes;
import layerfd.protocol.jsonrpc.MethodTable;
import layerfd.protocol.jsonrpc.Reply;
import layerfd.protocol.jsonrpc.Request;
import layerfd.protocol.jsonrpc.RpcException;

/**
 * The methods of layerfd's test peer, with the semantics of the Rust and Go reference peers (docs/peers.md):
 * {@code echo}, {@code readFile}, {@code createPipe}, {@code fdCount}, {@code echoFds}, and the {@code shutdown}
 * notification.
 */
public final class TestPeerMethods {
    /** What {@code createPipe} writes into its pipe and names in its result. */
    public static final String PIPE_TEXT = "hello from the layerfd test peer";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private TestPeerMethods() {}

    /** The method table; {@code onShutdown} runs when a {@code shutdown} notification arrives. */
    public static MethodTable table(Runnable onShutdown) {
        return MethodTable.builder()
                .add(ECHO, TestPeerMethods::echo)
                .add(READ_FILE, TestPeerMethods::readFile)
                .add(CREATE_PIPE, request -> createPipe())
                .add(FD_COUNT, TestPeerMethods::fdCount)
                .add(ECHO_FDS, TestPeerMethods::echoFds)
                .add(SHUTDOWN, request -> {
                    onShutdown.run();
                    return Reply.of(NullNode.getInstance());
                })
                .build();
    }

    /** Absent params echo as {@code "result": null}, never as an omitted result (Go's quirk, brief §11). */
    private static Reply echo(Request request) {
        return Reply.of(request.hasParams() ? request.params() : NullNode.getInstance());
    }

    private static Reply readFile(Request request) throws RpcException {
        if (request.fds().size() != 1) {
            throw new RpcException(ErrorCodes.INVALID_PARAMS,
                    READ_FILE + " needs exactly 1 fd, got " + request.fds().size() + " (request " + request.id() + ")");
        }
        try {
            return Reply.of(JSON.textNode(FdContent.readAll(request.fds().getFirst())));
        } catch (IOException e) {
            throw new RpcException(ErrorCodes.IO_ERROR, READ_FILE + " cannot read its fd: " + e.getMessage());
        }
    }

    /** The text fits the pipe buffer, so it is written and the write end closed before the answer goes out. */
    private static Reply createPipe() throws RpcException {
        try (Pipe.Ends pipe = Pipe.open()) {
            Pipe.writeFully(pipe.writeEnd(), PIPE_TEXT.getBytes(StandardCharsets.UTF_8));
            pipe.writeEnd().close();
            OwnedFd readEnd = OwnedFd.adopt(pipe.readEnd().release());
            return new Reply(JSON.objectNode().put("text", PIPE_TEXT), List.of(readEnd));
        } catch (IOException e) {
            throw new RpcException(ErrorCodes.IO_ERROR, CREATE_PIPE + " cannot make a pipe: " + e.getMessage());
        }
    }

    private static Reply fdCount(Request request) throws RpcException {
        ObjectNode result = JSON.objectNode().put("count", request.fds().size());
        ArrayNode contents = result.putArray("contents");
        for (int i = 0; i < request.fds().size(); i++) {
            try {
                contents.add(FdContent.read(request.fds().get(i), FD_COUNT_PREFIX_BYTES));
            } catch (IOException e) {
                throw new RpcException(ErrorCodes.IO_ERROR, FD_COUNT + " cannot read fd #" + i + ": " + e.getMessage());
            }
        }
        return Reply.of(result);
    }

    private static Reply echoFds(Request request) {
        List<OwnedFd> fds = request.takeFds();
        return new Reply(JSON.objectNode().put("count", fds.size()), fds);
    }
}
