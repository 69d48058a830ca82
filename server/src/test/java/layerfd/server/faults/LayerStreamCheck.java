package layerfd.server.faults;

import java.io.IOException;
import layerfd.protocol.Methods;
import layerfd.protocol.jsonrpc.Response;
import layerfd.server.testing.JavaClient;

/** Streams one layer with GetSplitFDStream, rebuilds its tar from the fds and records the outcome in a tally. */
final class LayerStreamCheck {
    private LayerStreamCheck() {}

    /**
     * One stream of {@code layer}: completed when the rebuilt tar has the layer's diff-digest and diff-size, failed
     * with the server's error, corrupt otherwise. Transport failures (the connection broke) are thrown, because
     * what they mean depends on the fault: a retry, or a failure the caller records.
     */
    static void stream(JavaClient client, KnownLayer layer, StreamTally tally) throws IOException,
            InterruptedException {
        try (Response response = client.call(Methods.GET_SPLIT_FD_STREAM,
                JavaClient.params(Methods.Params.LAYER_ID, layer.id()))) {
            if (response.isError()) {
                tally.failed(response.error().code() + " " + generic(response.error().message(), layer));
                return;
            }
            JavaClient.Reassembled tar = JavaClient.reassemble(response.fds());
            if (tar.sha256().equals(layer.diffDigest()) && tar.length() == layer.diffSize()) {
                tally.completed();
            } else {
                tally.corrupt(layer.id() + ": rebuilt " + tar.sha256() + " (" + tar.length() + " bytes), expected "
                        + layer.diffDigest() + " (" + layer.diffSize() + " bytes)");
            }
        }
    }

    /** The message with the layer id replaced, so that one reason counts once however many layers hit it. */
    static String generic(String message, KnownLayer layer) {
        return message.replace(layer.id(), "<layer>");
    }
}
