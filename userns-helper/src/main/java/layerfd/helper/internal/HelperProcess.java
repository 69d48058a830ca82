package layerfd.helper.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import layerfd.helper.HelperException;
import layerfd.helper.HelperProtocol;
import layerfd.linux.ChildProcess;
import layerfd.linux.OwnedFd;
import layerfd.linux.Prctl;
import layerfd.linux.SocketPair;
import layerfd.linux.Spawn;
import layerfd.protocol.fdpass.FdpassOptions;
import layerfd.protocol.fdpass.FdpassSocket;
import layerfd.protocol.jsonrpc.JsonRpcConnection;
import layerfd.protocol.jsonrpc.MethodTable;
import layerfd.protocol.jsonrpc.Response;

/**
 * One running helper: the spawned command (podman, or java directly), the jsonrpc-fdpass connection over the
 * socketpair, and the helper's pid from its Hello answer. The helper is alive as long as the connection is: it
 * exits when the socket closes, and its death closes the socket.
 */
public final class HelperProcess implements AutoCloseable {
    /** podman unshare plus a JVM start: about a second on an idle machine; generous for a loaded one. */
    static final long START_TIMEOUT_SECONDS = 120;
    /** After the socket closes the helper exits at once; then podman does. */
    static final long STOP_TIMEOUT_SECONDS = 10;
    /** A failed call waits this long for the connection to finish closing. */
    static final long CLOSE_NOTICE_SECONDS = 1;

    private final ChildProcess child;
    private final JsonRpcConnection connection;
    private final long helperPid;

    private HelperProcess(ChildProcess child, JsonRpcConnection connection, long helperPid) {
        this.child = child;
        this.connection = connection;
        this.helperPid = helperPid;
    }

    /** Spawns {@code argv} with one end of a socketpair as its stdin and waits for the helper's Hello. */
    public static HelperProcess start(List<String> argv, List<String> environment) throws IOException {
        List<OwnedFd> pair = SocketPair.openStream();
        ChildProcess child;
        try (OwnedFd theirs = pair.get(1)) {
            child = Spawn.spawn(argv, environment, List.of(new Spawn.Redirect(0, theirs)));
        } catch (IOException | RuntimeException e) {
            pair.get(0).close();
            throw new HelperException("cannot start the userns helper (" + argv.getFirst() + "): " + e.getMessage(), e);
        }
        JsonRpcConnection connection = JsonRpcConnection.start(
                FdpassSocket.adopt(pair.get(0), FdpassOptions.defaults()), MethodTable.empty());
        try (Response hello = connection.call(HelperProtocol.HELLO, JsonNodeFactory.instance.objectNode(), List.of())
                .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            if (hello.isError()) {
                throw new HelperException("the userns helper answered Hello with an error: " + hello.error().message());
            }
            return new HelperProcess(child, connection, hello.result().path(HelperProtocol.PID).asLong());
        } catch (ExecutionException | TimeoutException | HelperException e) {
            stop(connection, child, 0);
            throw new HelperException("the userns helper did not start: " + argv.getFirst() + " "
                    + exitDescription(child) + " before the helper answered (its messages are on the server's stderr)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(connection, child, 0);
            throw new HelperException("interrupted while starting the userns helper", e);
        }
    }

    /** Sends one request and waits for its response; the caller owns the response and its fds. */
    public Response call(String method, JsonNode params) throws IOException, InterruptedException {
        try {
            return connection.call(method, params, List.of()).get();
        } catch (ExecutionException e) {
            // The call fails as soon as the connection ends, a moment before the connection reports itself closed:
            // wait for that, so isAlive() is already false for the caller deciding about a restart.
            try {
                connection.closed().get(CLOSE_NOTICE_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException ignored) {
                // closed with a protocol error, or not closing at all: isAlive() tells which
            }
            throw new HelperException("the userns helper (pid " + helperPid + ") died or closed the connection "
                    + "during " + method + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    public boolean isAlive() {
        return !connection.closed().isDone();
    }

    public long helperPid() {
        return helperPid;
    }

    /** "exited with status N", "is still running", for error messages. */
    public String exitDescription() {
        return exitDescription(child);
    }

    /** Closes the socket (the helper then exits), waits for the spawned command, and kills it if it lingers. */
    @Override
    public void close() {
        stop(connection, child, helperPid);
    }

    private static void stop(JsonRpcConnection connection, ChildProcess child, long helperPid) {
        connection.close();
        try {
            child.onExit().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            killQuietly(child, helperPid);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killQuietly(child, helperPid);
        }
    }

    private static void killQuietly(ChildProcess child, long helperPid) {
        if (helperPid > 0) {
            ProcessHandle.of(helperPid).ifPresent(ProcessHandle::destroyForcibly);
        }
        try {
            child.signal(Prctl.SIGKILL);
        } catch (IOException e) {
            System.getLogger(HelperProcess.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot kill " + child + ": " + e.getMessage());
        }
    }

    private static String exitDescription(ChildProcess child) {
        try {
            return "exited with status " + child.onExit().get(1, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return "is still running";
        } catch (ExecutionException e) {
            return "could not be waited for (" + e.getCause().getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "was not waited for";
        }
    }
}
