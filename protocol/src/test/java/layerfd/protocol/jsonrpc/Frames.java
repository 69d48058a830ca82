package layerfd.protocol.jsonrpc;

import java.nio.charset.StandardCharsets;
import java.util.List;
import layerfd.linux.OwnedFd;
import layerfd.protocol.fdpass.FdpassFrame;
import layerfd.protocol.fdpass.Json;

/** Frames as the receiver would produce them, for codec and method-table tests without a socket. */
final class Frames {
    private Frames() {}

    static FdpassFrame of(String json, List<OwnedFd> fds) {
        return new FdpassFrame(json.getBytes(StandardCharsets.UTF_8), Json.object(json), fds);
    }

    static FdpassFrame of(String json) {
        return of(json, List.of());
    }
}
