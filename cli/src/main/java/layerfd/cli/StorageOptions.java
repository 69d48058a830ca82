package layerfd.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the served containers-storage lives, when not discovered from storage.conf. */
final class StorageOptions {
    @Option(names = "--root", paramLabel = "DIR", description = "Store graph root (like podman --root).")
    Path root;

    @Option(names = "--runroot", paramLabel = "DIR", description = "Store run root (like podman --runroot).")
    Path runRoot;

    @Option(names = "--driver", paramLabel = "DRIVER", description = "Storage driver: overlay or vfs.")
    String driver;

    @Option(names = "--storage-conf", paramLabel = "FILE",
            description = "storage.conf to read instead of the usual search (like CONTAINERS_STORAGE_CONF).")
    Path storageConf;
}
