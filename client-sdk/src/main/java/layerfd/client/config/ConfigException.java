package layerfd.client.config;

/** A configuration file is missing, malformed or names an unknown policy; the message names the file. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
