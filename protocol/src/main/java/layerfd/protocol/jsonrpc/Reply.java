package layerfd.protocol.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.List;
import layerfd.linux.OwnedFd;

/** What a handler returns: the result (null becomes JSON null) and the fds to send with it, which it hands over. */
public record Reply(JsonNode result, List<OwnedFd> fds) {
    public Reply {
        result = result == null ? NullNode.getInstance() : result;
        fds = List.copyOf(fds);
    }

    public static Reply of(JsonNode result) {
        return new Reply(result, List.of());
    }
}
