package layerfd.conformance.server;

import java.io.IOException;
import java.util.Map;
import layerfd.conformance.internal.OpenFdTable;
import layerfd.conformance.report.CheckFailed;
import layerfd.conformance.report.CheckRunner;
import layerfd.conformance.report.ConformanceReport;
import layerfd.conformance.server.internal.ServerChecks;

/**
 * {@code layerfd conformance server}: drives any server of the contract's compatible methods (GetImage,
 * GetSplitFDStream, GetLayerSplitfdstream) for one image and checks every layer's stream byte for byte against the
 * expected digests. Per-layer checks carry the first 12 characters of the layer id in brackets.
 */
public final class ServerRunner {
    public static final String SUITE = "server";
    private static final int SHORT_ID_CHARS = 12;

    private ServerRunner() {}

    public static ConformanceReport run(ServerOptions options) throws IOException {
        ServerChecks checks = new ServerChecks(options);
        CheckRunner runner = new CheckRunner();
        OpenFdTable before = OpenFdTable.baseline();

        runner.run("get_image", checks::getImage);
        runner.run("expected_digests", checks::expectedDigests);
        for (String layer : checks.layers()) {
            String tag = "[" + shortId(layer) + "]";
            runner.run("get_split_fd_stream" + tag, () -> checks.getSplitFdStream(layer));
            runner.run("stream_sealed" + tag, () -> checks.streamSealed(layer));
            runner.run("content_fds_read_only" + tag, () -> checks.contentFdsReadOnly(layer));
            runner.run("get_layer_splitfdstream" + tag, () -> checks.getLayerSplitfdstream(layer));
        }
        runner.run("compressed_refused", checks::compressedRefused);
        runner.run("unknown_layer", checks::unknownLayer);
        runner.run("unknown_image", checks::unknownImage);
        runner.run("no_fd_leak", () -> {
            Map<Integer, String> leaked = OpenFdTable.leakedSince(before);
            CheckFailed.unless(leaked.isEmpty(), leaked.size() + " fd(s) still open after the checks: " + leaked);
        });
        return runner.report(SUITE, options.socket().toString());
    }

    static String shortId(String layer) {
        String hex = layer.startsWith("sha256:") ? layer.substring("sha256:".length()) : layer;
        return hex.length() <= SHORT_ID_CHARS ? hex : hex.substring(0, SHORT_ID_CHARS);
    }
}
