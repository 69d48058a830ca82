package layerfd.client;

import java.util.List;

/** What {@code Initialize} reports: the server's version, protocol, features and the store it serves. */
public record ServerInfo(String version, int protocolVersion, List<String> features, StoreInfo store) {
    public ServerInfo {
        features = List.copyOf(features);
    }

    /** The store a server reads and whether it goes through the rootless helper. */
    public record StoreInfo(String graphRoot, String runRoot, String driver, boolean rootless, boolean helper) {}
}
