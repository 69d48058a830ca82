package layerfd.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this process can open any file whatever its mode and owner: uid 0 or CAP_DAC_OVERRIDE in the effective
 * set (containers-storage brief §5, "Detection, the same as cstor-rs"). A rootless server that cannot needs the
 * userns helper.
 */
public final class Capabilities {
    /** linux/capability.h: CAP_DAC_OVERRIDE is capability 1. */
    public static final int CAP_DAC_OVERRIDE = 1;
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final String CAP_EFF = "CapEff:";
    private static final String UID = "Uid:";
    private static final int HEX = 16;

    private Capabilities() {}

    /** True for uid 0 or an effective CAP_DAC_OVERRIDE, read from /proc/self/status now. */
    public static boolean canBypassFilePermissions() {
        try {
            return canBypassFilePermissions(Files.readString(STATUS));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + STATUS, e);
        }
    }

    /** The same decision from the text of a /proc/PID/status file (kept apart from the I/O so it can be tested). */
    public static boolean canBypassFilePermissions(String statusText) {
        return effectiveUid(statusText) == 0 || hasEffective(statusText, CAP_DAC_OVERRIDE);
    }

    /** "Uid:\treal\teffective\tsaved\tfs": the second number is the effective uid. */
    static long effectiveUid(String statusText) {
        String[] ids = field(statusText, UID).split("\\s+");
        return Long.parseLong(ids[1]);
    }

    /** Whether bit {@code capability} is set in the "CapEff:" hex mask of {@code statusText}. */
    public static boolean hasEffective(String statusText, int capability) {
        long mask = Long.parseUnsignedLong(field(statusText, CAP_EFF), HEX);
        return (mask >>> capability & 1) != 0;
    }

    static String field(String statusText, String key) {
        for (String line : statusText.split("\n")) {
            if (line.startsWith(key)) {
                return line.substring(key.length()).trim();
            }
        }
        throw new IllegalArgumentException("status text has no " + key + " line");
    }
}
