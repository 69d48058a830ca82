package layerfd.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's capability sets and no_new_privs as /proc/PID/status shows them (proc(5): CapInh, CapPrm, CapEff,
 * CapBnd, CapAmb as hex masks, bit n = capability n; NoNewPrivs 0 or 1), with its effective uid. For a process
 * these are the sets of its main thread.
 */
public record CapabilitySets(long inheritable, long permitted, long effective, long bounding, long ambient,
                             boolean noNewPrivs, long effectiveUid) {
    private static final int HEX = 16;

    /** The sets of process {@code pid}, read now. */
    public static CapabilitySets ofProcess(long pid) throws IOException {
        return parse(Files.readString(Path.of("/proc/" + pid + "/status")));
    }

    /** The sets of this process, read now. */
    public static CapabilitySets current() throws IOException {
        return ofProcess(ProcessHandle.current().pid());
    }

    /** The sets from the text of a /proc/PID/status (or /proc/PID/task/TID/status) file. */
    public static CapabilitySets parse(String statusText) {
        return new CapabilitySets(mask(statusText, "CapInh:"), mask(statusText, "CapPrm:"),
                mask(statusText, "CapEff:"), mask(statusText, "CapBnd:"), mask(statusText, "CapAmb:"),
                "1".equals(Capabilities.field(statusText, "NoNewPrivs:")), Capabilities.effectiveUid(statusText));
    }

    /** A mask with exactly the given capabilities. */
    public static long maskOf(int... capabilities) {
        long mask = 0;
        for (int cap : capabilities) {
            mask |= 1L << cap;
        }
        return mask;
    }

    private static long mask(String statusText, String key) {
        return Long.parseUnsignedLong(Capabilities.field(statusText, key), HEX);
    }
}
