package layerfd.server;

import java.util.Map;
import java.util.OptionalInt;

/**
 * systemd socket activation (sd_listen_fds(3)): when {@code LISTEN_PID} is this process and {@code LISTEN_FDS} is
 * at least 1, the listening socket is fd 3 ({@code SD_LISTEN_FDS_START}). layerfd uses the first passed socket only.
 * sd_listen_fds also unsets the variables so children do not see them; the JVM's environment is a fixed snapshot
 * taken at startup (ProcessBuilder copies it), and layerfd starts no children, so there is nothing to unset.
 */
public final class SystemdActivation {
    /** SD_LISTEN_FDS_START: the first passed descriptor. */
    public static final int LISTEN_FDS_START = 3;
    static final String LISTEN_PID = "LISTEN_PID";
    static final String LISTEN_FDS = "LISTEN_FDS";

    private SystemdActivation() {}

    /** The inherited listening fd, if this process was socket-activated. */
    public static OptionalInt listeningFd(Map<String, String> environment, long pid) {
        String listenPid = environment.get(LISTEN_PID);
        String listenFds = environment.get(LISTEN_FDS);
        if (listenPid == null || listenFds == null) {
            return OptionalInt.empty();
        }
        try {
            if (Long.parseLong(listenPid.trim()) != pid || Integer.parseInt(listenFds.trim()) < 1) {
                return OptionalInt.empty();
            }
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(LISTEN_FDS_START);
    }

    /** {@link #listeningFd(Map, long)} for this process. */
    public static OptionalInt listeningFd() {
        return listeningFd(System.getenv(), ProcessHandle.current().pid());
    }
}
