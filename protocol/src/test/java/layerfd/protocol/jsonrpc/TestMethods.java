package layerfd.protocol.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import layerfd.linux.LinuxException;
import layerfd.linux.OwnedFd;
import layerfd.protocol.fdpass.TestFds;
import layerfd.protocol.fdpass.internal.FdpassJson;

/** The methods the Java test server offers; the Python peer offers the same ones (fdpass_peer.py). */
final class TestMethods {
    private TestMethods() {}

    static MethodTable table() {
        return MethodTable.builder()
                .add("echo", req -> Reply.of(req.params()))
                .add("add", req -> Reply.of(IntNode.valueOf(req.params().get(0).intValue()
                        + req.params().get(1).intValue())))
                .add("sum", req -> {
                    int sum = 0;
                    for (JsonNode n : req.params()) {
                        sum += n.intValue();
                    }
                    return Reply.of(IntNode.valueOf(sum));
                })
                .add("has_params", req -> Reply.of(BooleanNode.valueOf(req.hasParams())))
                .add("read_fds", TestMethods::readFds)
                .add("create_fds", TestMethods::createFds)
                .add("sleep", req -> {
                    try {
                        Thread.sleep(req.params().get("ms").intValue());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Reply.of(req.params().get("tag"));
                })
                .add("big", req -> Reply.of(TextNode.valueOf("b".repeat(req.params().get("bytes").intValue()))))
                .add("null", req -> Reply.of(null))
                .build();
    }

    /** Result: the contents of the request's fds, in position order. */
    private static Reply readFds(Request req) throws RpcException {
        var contents = FdpassJson.NODES.arrayNode();
        try {
            for (String s : TestFds.contents(req.fds())) {
                contents.add(s);
            }
        } catch (LinuxException e) {
            throw new RpcException(ErrorCodes.IO_ERROR, "cannot read an fd: " + e.getMessage());
        }
        return Reply.of(contents);
    }

    /** params {"count": n, "prefix": p}: n memfds holding "p-0".."p-(n-1)". */
    private static Reply createFds(Request req) throws RpcException {
        int count = req.params().get("count").intValue();
        String prefix = req.params().path("prefix").asText("created");
        try {
            List<OwnedFd> fds = new ArrayList<>(TestFds.numbered(prefix, count));
            return new Reply(IntNode.valueOf(count), fds);
        } catch (LinuxException e) {
            throw new RpcException(ErrorCodes.RESOURCE_LIMIT_REACHED, "cannot create fds: " + e.getMessage());
        }
    }
}
