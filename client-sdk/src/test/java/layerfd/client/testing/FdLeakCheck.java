package layerfd.client.testing;

import java.util.TreeSet;
import layerfd.testing.OpenFds;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Fails a test that leaves a descriptor open that it did not find open (/proc/self/fd before and after). */
public final class FdLeakCheck implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(FdLeakCheck.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("before", OpenFds.snapshot());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        @SuppressWarnings("unchecked")
        TreeSet<Integer> before = (TreeSet<Integer>) context.getStore(NS).get("before");
        OpenFds.assertNoneNew(before, context.getDisplayName());
    }
}
