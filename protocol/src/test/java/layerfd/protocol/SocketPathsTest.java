package layerfd.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SocketPathsTest {
    @Test
    void rootUsesRunLayerfd() {
        assertEquals(Path.of("/run/layerfd/layerfd.sock"),
                SocketPaths.defaultSocket(0, Map.of("XDG_RUNTIME_DIR", "/run/user/0")));
    }

    @Test
    void userUsesXdgRuntimeDir() {
        assertEquals(Path.of("/run/user/1234/layerfd/layerfd.sock"),
                SocketPaths.defaultSocket(1234, Map.of("XDG_RUNTIME_DIR", "/run/user/1234")));
    }

    @Test
    void userWithoutRuntimeDirFallsBackToTmp() {
        // uid 4242424 has no /run/user directory on any test machine
        assertEquals(Path.of("/tmp/layerfd-run-4242424/layerfd/layerfd.sock"),
                SocketPaths.defaultSocket(4242424, Map.of()));
    }
}
