package layerfd.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest (Implementation-Version), "development" when run from classes. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = LayerfdCommand.class.getPackage().getImplementationVersion();
        return new String[] {"layerfd " + (version != null ? version : "development")};
    }
}
