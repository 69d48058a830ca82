package layerfd.helper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;
import layerfd.helper.internal.HelperCommand;
import layerfd.helper.internal.HelperProcess;
import layerfd.protocol.jsonrpc.Response;

/**
 * The server's handle on its one userns helper (issue 5). Nothing runs until the first {@link #openLayerFiles}
 * call; if the helper dies, the call that was using it fails with a {@link HelperException} and the next call
 * starts a new helper, once: after a second death every call fails with a clear error. {@link #close()} stops the
 * helper and leaves no helper or podman process behind. Thread-safe; calls run concurrently over one connection.
 */
public final class UsernsHelper implements AutoCloseable {
    /** How often a dead helper is replaced before the server gives up on it. */
    public static final int MAX_RESTARTS = 1;

    private final HelperLaunch launch;
    private HelperProcess process;
    private int restarts;
    private String lastDeath;
    /** Set once the restart is used up and the helper died again: every later call fails with it. */
    private String gaveUp;
    private boolean closed;

    public UsernsHelper(HelperLaunch launch) {
        this.launch = launch;
    }

    /**
     * Opens up to {@link HelperProtocol#MAX_NAMES_PER_REQUEST} {@code names} (clean relative names, see
     * {@link HelperProtocol}), each searched in {@code directories} in order, in one request. The caller owns the
     * results (close them). A refused directory or a dead helper is a {@link HelperException}.
     */
    public List<OpenResult> openLayerFiles(List<Path> directories, List<byte[]> names)
            throws IOException, InterruptedException {
        if (names.size() > HelperProtocol.MAX_NAMES_PER_REQUEST) {
            throw new IllegalArgumentException(names.size() + " names in one request, at most "
                    + HelperProtocol.MAX_NAMES_PER_REQUEST);
        }
        HelperProcess helper = running();
        try (Response response = helper.call(HelperProtocol.OPEN_LAYER_FILES, params(directories, names))) {
            if (response.isError()) {
                throw new HelperException("the userns helper could not open files in " + directories.getFirst()
                        + ": " + response.error().message());
            }
            return results(response, names.size());
        } catch (HelperException e) {
            if (!helper.isAlive()) {
                throw new HelperException(e.getMessage() + "; " + (canRestart()
                        ? "it will be restarted for the next request"
                        : "it had already been restarted once and will not be again"), e);
            }
            throw e;
        }
    }

    private synchronized boolean canRestart() {
        return restarts < MAX_RESTARTS;
    }

    /** Whether a helper process is running now. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The running helper's pid (the java process inside the user namespace), if one runs. */
    public synchronized OptionalLong helperPid() {
        return isRunning() ? OptionalLong.of(process.helperPid()) : OptionalLong.empty();
    }

    /** The live helper: started on first use, replaced once after a death. */
    private synchronized HelperProcess running() throws IOException {
        if (closed) {
            throw new HelperException("the userns helper is closed (the server is stopping)");
        }
        if (gaveUp != null) {
            throw new HelperException(gaveUp);
        }
        if (process != null && process.isAlive()) {
            return process;
        }
        if (process != null) {
            String death = "pid " + process.helperPid() + " " + process.exitDescription();
            process.close();
            process = null;
            if (restarts >= MAX_RESTARTS) {
                gaveUp = "the userns helper died again after it had been restarted once (first: " + lastDeath
                        + "; then: " + death + "); not restarting it: restart the server and check its stderr";
                throw new HelperException(gaveUp);
            }
            restarts++;
            lastDeath = death;
        }
        process = HelperProcess.start(HelperCommand.argv(launch), HelperCommand.environment(launch));
        return process;
    }

    private static ObjectNode params(List<Path> directories, List<byte[]> names) {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        ArrayNode dirs = params.putArray(HelperProtocol.DIRECTORIES);
        directories.forEach(d -> dirs.add(d.toString()));
        ArrayNode encoded = params.putArray(HelperProtocol.NAMES);
        Base64.Encoder base64 = Base64.getEncoder();
        names.forEach(n -> encoded.add(base64.encodeToString(n)));
        return params;
    }

    private static List<OpenResult> results(Response response, int expected) throws HelperException {
        JsonNode results = response.result().path(HelperProtocol.RESULTS);
        if (!results.isArray() || results.size() != expected) {
            throw new HelperException("the userns helper answered " + results.size() + " results for " + expected
                    + " names");
        }
        List<OpenResult> out = new ArrayList<>(expected);
        try {
            for (JsonNode r : results) {
                out.add(result(r, response));
            }
            List<OpenResult> done = out;
            out = null;
            return done;
        } finally {
            if (out != null) {
                out.forEach(OpenResult::close);
            }
        }
    }

    private static OpenResult result(JsonNode r, Response response) throws HelperException {
        if (r.has(HelperProtocol.FD)) {
            int index = r.get(HelperProtocol.FD).asInt(-1);
            if (index < 0 || index >= response.fds().size() || !response.fds().get(index).isOpen()) {
                throw new HelperException("the userns helper answered an invalid fd index " + r.get(HelperProtocol.FD));
            }
            return new OpenResult.Opened(response.takeFd(index));
        }
        String message = r.path(HelperProtocol.MESSAGE).asText();
        return switch (r.path(HelperProtocol.ERROR).asText()) {
            case HelperProtocol.MISSING -> new OpenResult.Missing(message);
            case HelperProtocol.REFUSED -> new OpenResult.Refused(message);
            case HelperProtocol.FAILED -> new OpenResult.Failed(message);
            default -> throw new HelperException("the userns helper answered an unknown result " + r);
        };
    }

    /** Stops the helper (it exits when its socket closes) and refuses further calls. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (process != null) {
            process.close();
            process = null;
        }
    }
}
