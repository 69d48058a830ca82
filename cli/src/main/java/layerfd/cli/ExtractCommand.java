package layerfd.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import layerfd.client.ImageDetails;
import layerfd.client.ImageExtraction;
import layerfd.client.LayerfdClient;
import layerfd.client.apply.ApplyOptions;
import layerfd.client.apply.ApplyStatistics;
import layerfd.client.apply.ExtractProgress;
import layerfd.client.config.PolicyDecision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "extract", description = "Materialise an image's root filesystem in DEST, reflinking file contents.")
final class ExtractCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", paramLabel = "IMAGE", description = "Image id, unique id prefix, name or manifest digest.")
    String image;
    @Parameters(index = "1", paramLabel = "DEST", description = "Destination directory (must not exist, or be empty).")
    Path destination;
    @Option(names = "--verify", description = "Check every layer against its diff-digest.")
    boolean verify;
    @Mixin
    PolicyOptions policyOptions;
    @Mixin
    SocketOption socket;
    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws Exception {
        PolicyDecision policy = policyOptions.decide(spec);
        ApplyOptions options = ApplyOptions.defaults().withReflinkPolicy(policy.policy());
        ImageExtraction.Result result;
        try (LayerfdClient client = LayerfdClient.connect(socket.resolve())) {
            ImageDetails details = client.inspect(image);
            ExtractProgress progress = TerminalProgress.forLayers("extract", details.layers(), json.json);
            try {
                result = ImageExtraction.extract(client, details, destination, options, verify, progress);
            } finally {
                TerminalProgress.finish(progress);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        ApplyStatistics s = result.statistics();
        if (json.json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("image", result.image().id());
            doc.put("destination", destination.toAbsolutePath().toString());
            doc.put("layers", result.image().layers().size());
            doc.put("policy", policy.policy().configName());
            doc.put("policySource", policy.source());
            doc.put("verified", result.verified());
            doc.put("statistics", s);
            JsonOutput.print(out, doc);
        } else {
            out.printf("extracted %s (%d layers) into %s%n", result.image().id(), result.image().layers().size(),
                    destination);
            out.printf("%d files: %s reflinked, %s copied, %s inline; %d directories, %d links, %d whiteouts%n",
                    s.files(), Sizes.human(s.bytesReflinked()), Sizes.human(s.bytesCopied()),
                    Sizes.human(s.bytesInline()), s.directories(), s.links(), s.whiteouts());
            out.flush();
        }
        return ExitCodes.OK;
    }
}
