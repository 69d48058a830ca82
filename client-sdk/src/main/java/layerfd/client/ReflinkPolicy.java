package layerfd.client;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How file content reaches the destination (api-contract.md §5, bootc's {@code [install.storage] unified}).
 * The names are bootc's words, exactly.
 */
public enum ReflinkPolicy {
    /** Reflink; where the filesystem cannot (ext4, another filesystem), copy the bytes. */
    ENABLED_WITH_COPY("enabled-with-copy"),
    /** Reflink or fail, naming the file and the reason (EOPNOTSUPP, EXDEV). */
    ENABLED("enabled"),
    /** Copy. The default. */
    DISABLED("disabled");

    private final String configName;

    ReflinkPolicy(String configName) {
        this.configName = configName;
    }

    /** The name used in TOML and on the command line. */
    public String configName() {
        return configName;
    }

    /** Parses a TOML or command-line value; anything else is an error listing the accepted values. */
    public static ReflinkPolicy parse(String value) {
        for (ReflinkPolicy p : values()) {
            if (p.configName.equals(value)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown unified storage policy '" + value + "' (expected one of "
                + Arrays.stream(values()).map(ReflinkPolicy::configName).collect(Collectors.joining(", ")) + ")");
    }

    @Override
    public String toString() {
        return configName;
    }
}
