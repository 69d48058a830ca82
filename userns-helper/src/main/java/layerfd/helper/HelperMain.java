package layerfd.helper;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import layerfd.helper.internal.GraphRoots;
import layerfd.helper.internal.OpenFilesHandler;
import layerfd.linux.Fcntl;
import layerfd.linux.OwnedFd;
import layerfd.linux.Prctl;
import layerfd.protocol.fdpass.FdpassOptions;
import layerfd.protocol.fdpass.FdpassSocket;
import layerfd.protocol.jsonrpc.JsonRpcConnection;
import layerfd.protocol.jsonrpc.MethodTable;
import layerfd.protocol.jsonrpc.Reply;

/**
 * The userns helper process: {@code HelperMain --graphroot G [--graphroot G2 ...]}, started by
 * {@link UsernsHelper} under {@code podman unshare} with one end of a socketpair as its stdin (splitfdstream brief
 * §3). It serves {@link HelperProtocol} on that socket until the server closes it, then exits 0; it exits 1 on a bad
 * command line or a protocol error, and dies with its parent (PR_SET_PDEATHSIG) when it is a direct child.
 */
public final class HelperMain {
    private static final int STDIN = 0;
    private static final int EXIT_OK = 0;
    private static final int EXIT_FAILURE = 1;
    private static final String USAGE = "usage: HelperMain --graphroot DIR [--graphroot DIR ...] (stdin: a socket)";

    private HelperMain() {}

    public static void main(String[] args) {
        int status;
        try {
            status = serve(graphRoots(args));
        } catch (IOException | RuntimeException e) {
            System.err.println("layerfd userns helper: " + e.getMessage());
            status = EXIT_FAILURE;
        }
        System.exit(status);
    }

    private static int serve(List<String> graphRoots) throws IOException {
        // Under podman unshare the parent is podman, which stays until this exits; the socket closing is what ends
        // the helper there. The signal covers a helper started directly by a server that is killed.
        Prctl.setParentDeathSignal(Prctl.SIGKILL);
        try (GraphRoots roots = GraphRoots.open(graphRoots)) {
            MethodTable methods = MethodTable.builder()
                    .add(HelperProtocol.OPEN_LAYER_FILES, new OpenFilesHandler(roots))
                    .add(HelperProtocol.HELLO, request -> Reply.of(JsonNodeFactory.instance.objectNode()
                            .put(HelperProtocol.PID, ProcessHandle.current().pid())))
                    .build();
            // The socket gets its own close-on-exec descriptor; fd 0 stays as it is, nothing reads System.in.
            OwnedFd socketFd = OwnedFd.adopt(Fcntl.dupCloseOnExec(STDIN));
            JsonRpcConnection connection = JsonRpcConnection.start(
                    FdpassSocket.adopt(socketFd, FdpassOptions.defaults()), methods);
            try {
                connection.closed().join();
                return EXIT_OK;
            } catch (RuntimeException e) {
                System.err.println("layerfd userns helper: connection ended: " + e.getMessage());
                return EXIT_FAILURE;
            }
        }
    }

    private static List<String> graphRoots(String[] args) {
        List<String> roots = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].equals(HelperProtocol.GRAPH_ROOT_OPTION) || i + 1 == args.length) {
                throw new IllegalArgumentException(USAGE);
            }
            roots.add(args[++i]);
        }
        if (roots.isEmpty()) {
            throw new IllegalArgumentException(USAGE);
        }
        return roots;
    }
}
