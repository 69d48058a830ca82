package layerfd.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import layerfd.client.LayerfdClient;
import layerfd.client.ServerImages;
import layerfd.client.objects.FsckReport;
import layerfd.client.objects.ImagePresence;
import layerfd.client.objects.ImportOptions;
import layerfd.client.objects.ObjectStore;
import layerfd.client.objects.RepairReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Checks every image document against its objects and, when a server answers, against containers-storage; with
 * --repair re-imports through the server what is missing or corrupt. Exit 1 while anything is wrong.
 */
@Command(name = "fsck", description = "Check an object store against its objects and containers-storage.")
final class FsckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Option(names = "--repo", paramLabel = "DIR", required = true, description = "Object store directory.")
    Path repo;
    @Option(names = "--repair", description = "Re-import what is missing or corrupt through the server.")
    boolean repair;
    @Mixin
    SocketOption socket;
    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws Exception {
        ObjectStore store = ObjectStore.at(repo);
        PrintWriter out = spec.commandLine().getOut();
        LayerfdClient client = null;
        try {
            client = LayerfdClient.connect(socket.resolve());
        } catch (IOException e) {
            if (repair) {
                throw new IOException("--repair needs the server: " + e.getMessage(), e);
            }
            spec.commandLine().getErr().println("layerfd fsck: no server (" + e.getMessage()
                    + "); containers-storage is not checked");
        }
        try {
            ImagePresence presence = client != null ? ServerImages.presence(client) : ImagePresence.UNKNOWN;
            FsckReport report = store.fsck(presence);
            if (repair && !report.ok()) {
                RepairReport repaired = store.repair(report, ServerImages.reimporter(client), ImportOptions.defaults(),
                        presence);
                report = repaired.after();
                if (!json.json) {
                    out.println("repair: deleted " + repaired.deletedObjects().size() + " corrupt objects, re-imported "
                            + repaired.reimported().size() + " images" + (repaired.failures().isEmpty() ? ""
                            : "; failed: " + String.join("; ", repaired.failures())));
                }
            }
            out.print(json.json ? report.toJson() + "\n" : report.toText());
            out.flush();
            return report.ok() ? ExitCodes.OK : ExitCodes.FAILED;
        } finally {
            if (client != null) {
                client.close();
            }
        }
    }
}
