package layerfd.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import layerfd.client.ExtentSharing;
import layerfd.client.LayerfdClient;
import layerfd.client.ServerInfo;
import layerfd.client.config.PolicyDecision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", description = "Show the server, the storage policy and whether extents can be shared.")
final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Option(names = "--repo", paramLabel = "DIR", description = "Target to check extent sharing against "
            + "(default: the current directory).")
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
        Path target = repo != null ? repo : Path.of("");
        Optional<ServerInfo> server = Optional.empty();
        String serverProblem = null;
        try (LayerfdClient client = LayerfdClient.connect(socket.resolve())) {
            server = Optional.of(client.initialize());
        } catch (IOException e) {
            serverProblem = e.getMessage();
        }
        Optional<ExtentSharing.Verdict> sharing = Optional.empty();
        if (server.isPresent()) {
            sharing = Optional.of(ExtentSharing.between(Path.of(server.get().store().graphRoot()), target));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json.json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("socket", socket.resolve().toString());
            doc.put("server", server.orElse(null));
            doc.put("serverError", serverProblem);
            doc.put("storage", Map.of("unified", policy.policy().configName(), "source", policy.source()));
            doc.put("extentSharing", sharing.orElse(null));
            JsonOutput.print(out, doc);
        } else {
            out.println("Storage: " + policy.describe() + "  [from " + policy.source() + "]");
            if (server.isPresent()) {
                ServerInfo s = server.get();
                out.printf("Server: layerfd %s at %s, %s store %s%s%n", s.version(), socket.resolve(), s.store().driver(),
                        s.store().graphRoot(), s.store().helper() ? " (rootless, through the userns helper)" : "");
                ExtentSharing.Verdict v = sharing.orElseThrow();
                out.printf("Extent sharing with %s: %s (%s)%n", target.toAbsolutePath(), v.canShare() ? "yes" : "no",
                        v.reason());
            } else {
                out.println("Server: not reachable: " + serverProblem);
            }
            out.flush();
        }
        return server.isPresent() ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
