package layerfd.server.privilege;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import layerfd.linux.CapabilityDrop;
import layerfd.linux.CapabilitySets;
import layerfd.linux.Credentials;
import layerfd.linux.Exec;
import layerfd.linux.OwnedFd;
import layerfd.linux.UnixListener;
import layerfd.server.ListenOn;
import layerfd.server.internal.SocketFile;

/**
 * {@code --drop-privileges} (docs/security.md "Privilege"). Capability sets, the bounding set and no_new_privs
 * belong to each thread (capabilities(7)), and a JVM runs many threads before any of layerfd's code, so they cannot
 * be lowered for the whole running process. Instead the server, still root with every capability, binds its socket,
 * lowers the calling thread's bounding set to {@link #KEPT}, empties its inheritable and ambient sets, sets
 * no_new_privs, and execve(2)s the same java command line: an execve as uid 0 gives the new program exactly the
 * bounding set as its permitted and effective sets (capabilities(7), "Capabilities and execution of programs by
 * root"), and every thread of the new JVM inherits them. The pid stays the same, so a supervisor notices nothing;
 * the re-executed server finds the socket by the descriptor number in {@value #LISTEN_FD} and knows it is the second
 * stage from {@value #REEXEC_PID}.
 */
public final class PrivilegeDrop {
    /**
     * What the server keeps: CAP_DAC_READ_SEARCH, to open layer files and search layer directories of any owner and
     * mode read-only. Everything else the server does (SO_PEERCRED, memfds and seals, SCM_RIGHTS, fcntl read locks
     * on lock files it opens read-only, socket files in root's own directories) needs no capability.
     */
    public static final long KEPT = CapabilitySets.maskOf(CapabilityDrop.CAP_DAC_READ_SEARCH);
    /** The pid of the server that re-executed itself: the second stage checks it is that same process. */
    static final String REEXEC_PID = "LAYERFD_REEXEC_PID";
    /** The listening socket the first stage bound, by descriptor number (absent when systemd passed it as fd 3). */
    static final String LISTEN_FD = "LAYERFD_REEXEC_LISTEN_FD";
    /** The listen(2) backlog of a socket bound before the drop: enough for the default connection limit at once. */
    static final int LISTEN_BACKLOG = 256;
    private static final Path CMDLINE = Path.of("/proc/self/cmdline");
    private static final Path ENVIRON = Path.of("/proc/self/environ");
    private static final Path EXE = Path.of("/proc/self/exe");
    private static final long ROOT_UID = 0;

    /** What the re-executed second stage received from the first. */
    public record Reexecuted(OptionalInt boundSocketFd) {}

    private PrivilegeDrop() {}

    /** Whether this process is the re-executed second stage, and what it inherited. */
    public static Optional<Reexecuted> reexecuted() {
        return reexecuted(System.getenv(), ProcessHandle.current().pid());
    }

    /**
     * The decision from {@code environment}: only a process whose pid equals {@value #REEXEC_PID} is the second
     * stage (a child that inherited the variables is not).
     */
    static Optional<Reexecuted> reexecuted(Map<String, String> environment, long pid) {
        String stagePid = environment.get(REEXEC_PID);
        if (stagePid == null || !stagePid.equals(Long.toString(pid))) {
            return Optional.empty();
        }
        String fd = environment.get(LISTEN_FD);
        if (fd == null) {
            return Optional.of(new Reexecuted(OptionalInt.empty()));
        }
        try {
            return Optional.of(new Reexecuted(OptionalInt.of(Integer.parseInt(fd))));
        } catch (NumberFormatException e) {
            throw new IllegalStateException(LISTEN_FD + " is not a descriptor number: '" + fd + "'");
        }
    }

    /**
     * The first stage: as root, binds {@code listen} (or keeps the inherited socket), drops every capability but
     * {@link #KEPT} and re-executes this java command line. Returns only by throwing: an {@link IOException} saying
     * why when not root or when a step fails.
     */
    public static void reexecWithoutPrivileges(ListenOn listen) throws IOException {
        long uid = Credentials.effectiveUid();
        if (uid != ROOT_UID) {
            throw new IOException("--drop-privileges: the server runs as uid " + uid + ", not root, and has no "
                    + "privileges to drop (a user's server reads a rootless store through the userns helper, which "
                    + "needs the set-user-ID newuidmap that no_new_privs would disable); start it without the option");
        }
        List<byte[]> environment = environmentWithout(REEXEC_PID, LISTEN_FD);
        environment.add(variable(REEXEC_PID, Long.toString(ProcessHandle.current().pid())));
        int socketFd = switch (listen) {
            case ListenOn.Inherited inherited -> inherited.fd();
            case ListenOn.SocketFile file -> {
                // api-contract §2: same preparation and mode as a server that binds for itself.
                Path path = SocketFile.prepare(file.path());
                OwnedFd bound = UnixListener.bind(path.toString(), LISTEN_BACKLOG);
                SocketFile.restrictMode(path);
                environment.add(variable(LISTEN_FD, Integer.toString(bound.get())));
                yield bound.release();
            }
        };
        try {
            CapabilityDrop.limitBoundingSet(KEPT);
            CapabilityDrop.clearInheritable();
            CapabilityDrop.clearAmbient();
            CapabilityDrop.setNoNewPrivs();
            Exec.execve(Files.readSymbolicLink(EXE).toString().getBytes(StandardCharsets.UTF_8),
                    nulSeparated(Files.readAllBytes(CMDLINE)), environment, List.of(socketFd));
        } catch (IOException | RuntimeException e) {
            // The server will not run: a socket file it bound would only mislead clients until the next start.
            if (listen instanceof ListenOn.SocketFile file) {
                OwnedFd.adopt(socketFd).close();
                Files.deleteIfExists(file.path().toAbsolutePath());
            }
            throw e;
        }
    }

    /**
     * The second stage: checks that this process holds exactly what {@link #reexecWithoutPrivileges} meant it to
     * (permitted, effective and bounding = {@link #KEPT}, no inheritable or ambient capability, no_new_privs).
     */
    public static CapabilitySets verify() throws IOException {
        CapabilitySets now = CapabilitySets.current();
        if (now.permitted() != KEPT || now.effective() != KEPT || now.bounding() != KEPT
                || now.inheritable() != 0 || now.ambient() != 0 || !now.noNewPrivs()) {
            throw new IOException("--drop-privileges: after re-executing, the capabilities are not the intended ones: "
                    + now + "; expected permitted, effective and bounding " + Long.toHexString(KEPT)
                    + ", nothing inheritable or ambient, no_new_privs");
        }
        return now;
    }

    private static List<byte[]> environmentWithout(String... names) throws IOException {
        List<byte[]> kept = new ArrayList<>();
        for (byte[] entry : nulSeparated(Files.readAllBytes(ENVIRON))) {
            String text = new String(entry, StandardCharsets.ISO_8859_1);
            boolean drop = false;
            for (String name : names) {
                drop |= text.startsWith(name + "=");
            }
            if (!drop) {
                kept.add(entry);
            }
        }
        return kept;
    }

    private static byte[] variable(String name, String value) {
        return (name + "=" + value).getBytes(StandardCharsets.UTF_8);
    }

    /** The NUL-terminated strings of /proc/self/cmdline or /proc/self/environ, raw. */
    static List<byte[]> nulSeparated(byte[] bytes) {
        List<byte[]> strings = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                strings.add(Arrays.copyOfRange(bytes, start, i));
                start = i + 1;
            }
        }
        if (start < bytes.length) {
            strings.add(Arrays.copyOfRange(bytes, start, bytes.length));
        }
        return strings;
    }
}
