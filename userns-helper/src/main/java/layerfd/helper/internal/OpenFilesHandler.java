package layerfd.helper.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import layerfd.helper.HelperProtocol;
import layerfd.linux.Errno;
import layerfd.linux.FileIo;
import layerfd.linux.LinuxException;
import layerfd.linux.Open;
import layerfd.linux.OwnedFd;
import layerfd.linux.Stat;
import layerfd.protocol.jsonrpc.ErrorCodes;
import layerfd.protocol.jsonrpc.MethodHandler;
import layerfd.protocol.jsonrpc.Reply;
import layerfd.protocol.jsonrpc.Request;
import layerfd.protocol.jsonrpc.RpcException;

/**
 * Serves {@link HelperProtocol#OPEN_LAYER_FILES}: each name tried in each directory in order, opened read-only
 * with openat2 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS relative to the directory, regular
 * files only. {@code O_NONBLOCK} keeps a FIFO planted where a file should be from blocking the helper. Every
 * refusal is logged to stderr.
 */
public final class OpenFilesHandler implements MethodHandler {
    private static final int FILE_FLAGS = Open.O_RDONLY | Open.O_CLOEXEC | Open.O_NOCTTY | Open.O_NONBLOCK;
    private static final long RESOLVE = Open.RESOLVE_BENEATH | Open.RESOLVE_NO_SYMLINKS | Open.RESOLVE_NO_MAGICLINKS;
    private static final String LOG_PREFIX = "layerfd userns helper: refused ";

    private final GraphRoots roots;

    public OpenFilesHandler(GraphRoots roots) {
        this.roots = roots;
    }

    @Override
    public Reply handle(Request request) throws RpcException {
        List<String> directories = strings(request.params(), HelperProtocol.DIRECTORIES,
                HelperProtocol.MAX_DIRECTORIES_PER_REQUEST);
        List<String> names = strings(request.params(), HelperProtocol.NAMES, HelperProtocol.MAX_NAMES_PER_REQUEST);
        if (directories.isEmpty()) {
            throw new RpcException(ErrorCodes.INVALID_PARAMS, "request " + request.id() + ": no directories");
        }
        List<OwnedFd> dirs = new ArrayList<>(directories.size());
        List<OwnedFd> fds = new ArrayList<>(names.size());
        try {
            for (String directory : directories) {
                dirs.add(openDirectory(request, directory));
            }
            ArrayNode results = JsonNodeFactory.instance.arrayNode(names.size());
            for (String encoded : names) {
                results.add(openOne(request, decode(request, encoded), directories, dirs, fds));
            }
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            result.set(HelperProtocol.RESULTS, results);
            Reply reply = new Reply(result, fds);
            fds = null;
            return reply;
        } finally {
            dirs.forEach(OwnedFd::close);
            if (fds != null) {
                fds.forEach(OwnedFd::close);
            }
        }
    }

    private OwnedFd openDirectory(Request request, String directory) throws RpcException {
        try {
            return roots.openContentDirectory(directory);
        } catch (RefusedException e) {
            log("request " + request.id() + ": " + e.getMessage());
            throw new RpcException(ErrorCodes.INVALID_PARAMS, "refused: " + e.getMessage());
        } catch (LinuxException e) {
            throw new RpcException(ErrorCodes.IO_ERROR, "cannot open content directory " + directory + ": "
                    + e.getMessage());
        }
    }

    private static JsonNode openOne(Request request, byte[] name, List<String> directories, List<OwnedFd> dirs,
            List<OwnedFd> fds) {
        String printable = Open.printable(name);
        String problem = LayerNames.problem(name);
        if (problem != null) {
            return refused(request, "name " + printable + ": " + problem);
        }
        for (int i = 0; i < dirs.size(); i++) {
            OwnedFd fd;
            try {
                fd = Open.openat2(dirs.get(i).get(), name, FILE_FLAGS, 0, RESOLVE);
            } catch (LinuxException e) {
                switch (e.errno()) {
                    // ENOTDIR: a component is a file here, so the name is not in this directory either.
                    case Errno.ENOENT, Errno.ENOTDIR -> {
                        continue;
                    }
                    // openat2(2): RESOLVE_NO_SYMLINKS fails with ELOOP, leaving with RESOLVE_BENEATH with EXDEV.
                    case Errno.ELOOP, Errno.EXDEV -> {
                        return refused(request, "name " + printable + " in " + directories.get(i)
                                + ": a component is a symlink or leads outside the directory");
                    }
                    default -> {
                        return error(HelperProtocol.FAILED, printable + " in " + directories.get(i) + ": "
                                + e.getMessage());
                    }
                }
            }
            return regularFile(request, fd, printable + " in " + directories.get(i), fds);
        }
        return error(HelperProtocol.MISSING, printable + " is in none of the " + dirs.size() + " directories");
    }

    private static JsonNode regularFile(Request request, OwnedFd fd, String what, List<OwnedFd> fds) {
        try {
            Stat stat = FileIo.stat(fd.get());
            if (!stat.isRegularFile()) {
                fd.close();
                return refused(request, what + ": not a regular file (mode " + Integer.toOctalString(stat.mode())
                        + ")");
            }
        } catch (LinuxException e) {
            fd.close();
            return error(HelperProtocol.FAILED, what + ": " + e.getMessage());
        }
        fds.add(fd);
        return JsonNodeFactory.instance.objectNode().put(HelperProtocol.FD, fds.size() - 1);
    }

    private static JsonNode refused(Request request, String message) {
        log("request " + request.id() + ": " + message);
        return error(HelperProtocol.REFUSED, message);
    }

    private static JsonNode error(String kind, String message) {
        return JsonNodeFactory.instance.objectNode().put(HelperProtocol.ERROR, kind)
                .put(HelperProtocol.MESSAGE, message);
    }

    private static void log(String message) {
        System.err.println(LOG_PREFIX + message);
    }

    private static byte[] decode(Request request, String encoded) throws RpcException {
        try {
            return Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new RpcException(ErrorCodes.INVALID_PARAMS, "request " + request.id() + ": a name is not base64: "
                    + e.getMessage());
        }
    }

    private static List<String> strings(JsonNode params, String field, int max) throws RpcException {
        JsonNode array = params.path(field);
        if (!array.isArray()) {
            throw new RpcException(ErrorCodes.INVALID_PARAMS, "params." + field + " must be an array of strings");
        }
        if (array.size() > max) {
            throw new RpcException(ErrorCodes.INVALID_PARAMS, "params." + field + " has " + array.size()
                    + " entries, at most " + max + " are allowed per request");
        }
        List<String> values = new ArrayList<>(array.size());
        for (JsonNode element : array) {
            if (!element.isTextual()) {
                throw new RpcException(ErrorCodes.INVALID_PARAMS, "params." + field + " must hold only strings");
            }
            values.add(element.textValue());
        }
        return values;
    }
}
