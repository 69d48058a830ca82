package layerfd.protocol.fdpass;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import layerfd.protocol.fdpass.internal.FdpassJson;
import layerfd.testing.OpenFds;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves a descriptor open in this process that it did not find open (/proc/self/fd before
 * and after each test). Before the first test it runs one full fd-passing round trip, so that
 * jar files and the native library the JVM keeps open for good are already open.
 */
public final class NoFdLeaks implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(NoFdLeaks.class);
    private static volatile boolean warmedUp;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (!warmedUp) {
            warmUp();
            warmedUp = true;
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put("before", OpenFds.snapshot());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        @SuppressWarnings("unchecked")
        TreeSet<Integer> before = (TreeSet<Integer>) context.getStore(NAMESPACE).get("before");
        OpenFds.assertNoneNew(before, context.getDisplayName());
    }

    private static void warmUp() throws Exception {
        // junixsocket opens one descriptor for good the first time a server socket is used.
        Path dir = Files.createTempDirectory("nofdleaks");
        Path path = dir.resolve("warm-up.sock");
        try (FdpassServerSocket server = FdpassServerSocket.bind(path, FdpassOptions.defaults());
                FdpassSocket client = FdpassSocket.connect(path);
                FdpassSocket accepted = server.accept()) {
            client.sender().send(FdpassJson.NODES.objectNode(), List.of());
            accepted.receiver().receive().orElseThrow().close();
        } finally {
            Files.deleteIfExists(path);
            Files.delete(dir);
        }
        try (FdpassSocket.Pair pair = FdpassSocket.pair()) {
            ObjectNode message = FdpassJson.NODES.objectNode().put("warm", "up");
            pair.first().sender().send(message, List.of(TestFds.memfd("warm-up")));
            try (FdpassFrame frame = pair.second().receiver().receive().orElseThrow()) {
                TestFds.content(frame.fds().get(0));
            }
        }
    }
}
