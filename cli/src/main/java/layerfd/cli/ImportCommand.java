package layerfd.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import layerfd.client.ImageDetails;
import layerfd.client.LayerfdClient;
import layerfd.client.ServerImages;
import layerfd.client.config.PolicyDecision;
import layerfd.client.objects.ImportOptions;
import layerfd.client.objects.ImportStatistics;
import layerfd.client.objects.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "import", description = "Import an image into a content-addressed object store (fs-verity digests).")
final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "IMAGE", description = "Image id, unique id prefix, name or manifest digest.")
    String image;
    @Option(names = "--repo", paramLabel = "DIR", required = true, description = "Object store directory.")
    Path repo;
    @Mixin
    PolicyOptions policyOptions;
    @Mixin
    SocketOption socket;
    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws Exception {
        PolicyDecision policy = policyOptions.decide(spec);
        ImageDetails details;
        ImportStatistics stats;
        try (LayerfdClient client = LayerfdClient.connect(socket.resolve())) {
            details = client.inspect(image);
            stats = ObjectStore.at(repo).importImage(ServerImages.describe(details),
                    ServerImages.layerSources(client, details, false),
                    ImportOptions.defaults().withReflinkPolicy(policy.policy()));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json.json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("image", details.id());
            doc.put("repo", repo.toAbsolutePath().toString());
            doc.put("policy", policy.policy().configName());
            doc.put("statistics", stats);
            doc.put("summary", stats.summary());
            JsonOutput.print(out, doc);
        } else {
            out.println("imported " + details.id() + " into " + repo);
            out.println(stats.summary());
            out.flush();
        }
        return ExitCodes.OK;
    }
}
