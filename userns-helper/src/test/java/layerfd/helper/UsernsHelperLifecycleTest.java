package layerfd.helper;

import static layerfd.helper.TestGraphRoot.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import layerfd.testing.OpenFds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start, death, one restart, second death, stop: with a helper started directly (as root). */
class UsernsHelperLifecycleTest {
    private static final long EXIT_WAIT_SECONDS = 30;
    /** Concurrent full batches when the helper is killed: together they take far longer than the kill. */
    private static final int IN_FLIGHT = 8;
    private static final long POLL_MILLIS = 10;

    @Test
    void restartedOnceThenAClearErrorAndNothingLeftAfterClose(@TempDir Path dir) throws Exception {
        TestGraphRoot tree = TestGraphRoot.create(dir);
        int before = OpenFds.count();
        UsernsHelper helper = new UsernsHelper(HelperLaunch.direct(List.of(tree.root())));
        List<byte[]> names = List.of(name("etc/hello"));

        UsernsHelperRulesTest.close(helper.openLayerFiles(tree.chain(), names));
        long first = helper.helperPid().orElseThrow();
        kill(helper, first);
        // The one restart: the next request works on a new helper.
        UsernsHelperRulesTest.close(helper.openLayerFiles(tree.chain(), names));
        long second = helper.helperPid().orElseThrow();
        assertNotEquals(first, second);

        kill(helper, second);
        HelperException again = assertThrows(HelperException.class, () -> helper.openLayerFiles(tree.chain(), names));
        assertTrue(again.getMessage().contains("died again after it had been restarted once"), again.getMessage());
        assertTrue(again.getMessage().contains("pid " + second), again.getMessage());
        HelperException still = assertThrows(HelperException.class, () -> helper.openLayerFiles(tree.chain(), names));
        assertTrue(still.getMessage().contains("died again"), still.getMessage());

        helper.close();
        assertFalse(ProcessHandle.of(second).map(ProcessHandle::isAlive).orElse(false));
        assertEquals(List.of(), childrenOfThisJvmRunningTheHelper());
        assertEquals(before, OpenFds.settle(before));
    }

    @Test
    void helperKilledWhileRequestsAreInFlightFailsThemClearlyAndTheNextRequestWorks(@TempDir Path dir)
            throws Exception {
        TestGraphRoot tree = TestGraphRoot.create(dir);
        int before = OpenFds.count();
        try (UsernsHelper helper = new UsernsHelper(HelperLaunch.direct(List.of(tree.root())))) {
            List<byte[]> batch = Collections.nCopies(HelperProtocol.MAX_NAMES_PER_REQUEST, name("etc/hello"));
            UsernsHelperRulesTest.close(helper.openLayerFiles(tree.chain(), batch));
            long pid = helper.helperPid().orElseThrow();
            List<CompletableFuture<List<OpenResult>>> calls = new ArrayList<>();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < IN_FLIGHT; i++) {
                    calls.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            return helper.openLayerFiles(tree.chain(), batch);
                        } catch (Exception e) {
                            throw new CompletionException(e);
                        }
                    }, threads));
                }
                // Only the process: a call that starts late may already restart the helper, which is allowed here.
                killProcess(pid);
            }
            int failed = 0;
            for (var call : calls) {
                try {
                    UsernsHelperRulesTest.close(call.join());
                } catch (CompletionException e) {
                    HelperException cause = assertInstanceOf(HelperException.class, e.getCause());
                    assertTrue(cause.getMessage().contains("pid " + pid) && cause.getMessage().contains("died"),
                            cause.getMessage());
                    failed++;
                }
            }
            assertTrue(failed > 0, "no request was in flight when the helper was killed");
            List<OpenResult> after = helper.openLayerFiles(tree.chain(), batch);
            assertEquals(batch.size(), after.size());
            UsernsHelperRulesTest.close(after);
            assertNotEquals(pid, helper.helperPid().orElseThrow());
        }
        assertEquals(before, OpenFds.settle(before));
    }

    @Test
    void closeStopsTheHelperAndItsProcessIsGone(@TempDir Path dir) throws Exception {
        TestGraphRoot tree = TestGraphRoot.create(dir);
        UsernsHelper helper = new UsernsHelper(HelperLaunch.direct(List.of(tree.root())));
        UsernsHelperRulesTest.close(helper.openLayerFiles(tree.chain(), List.of(name("etc/hello"))));
        long pid = helper.helperPid().orElseThrow();
        helper.close();
        ProcessHandle.of(pid).ifPresent(p -> p.onExit().orTimeout(EXIT_WAIT_SECONDS, TimeUnit.SECONDS).join());
        assertFalse(ProcessHandle.of(pid).isPresent(), "helper " + pid + " still exists (zombie or running)");
        assertThrows(HelperException.class, () -> helper.openLayerFiles(tree.chain(), List.of(name("etc/hello"))));
    }

    private static void killProcess(long pid) {
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
        assertTrue(handle.destroyForcibly());
        handle.onExit().orTimeout(EXIT_WAIT_SECONDS, TimeUnit.SECONDS).join();
    }

    /**
     * Kills the helper and waits until the server side has seen its socket close: a request sent before that is
     * in flight and fails; only one sent after it starts a new helper.
     */
    private static void kill(UsernsHelper helper, long pid) throws InterruptedException {
        killProcess(pid);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(EXIT_WAIT_SECONDS);
        while (helper.isRunning() && System.nanoTime() < deadline) {
            Thread.sleep(POLL_MILLIS);
        }
        assertFalse(helper.isRunning(), "the server did not notice the helper's death");
    }

    private static List<Long> childrenOfThisJvmRunningTheHelper() {
        return ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().orElse("").contains(HelperMain.class.getName()))
                .map(ProcessHandle::pid).toList();
    }
}
