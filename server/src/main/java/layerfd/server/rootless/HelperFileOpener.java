package layerfd.server.rootless;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import layerfd.helper.HelperProtocol;
import layerfd.helper.OpenResult;
import layerfd.helper.UsernsHelper;
import layerfd.linux.Open;
import layerfd.linux.OwnedFd;
import layerfd.server.tarsplit.LayerPath;
import layerfd.server.tarsplit.UnsafeLayerPathException;

/**
 * Opens one layer's files through the userns helper. Names announced with {@link #prefetch} (a layer's content
 * files in tar-split order) are opened ahead in requests of {@link HelperProtocol#MAX_NAMES_PER_REQUEST}, so a
 * 10,000-file layer costs about ten round trips, and at most one window of descriptors is held; any other name is
 * opened on its own. Not thread-safe: one stream builder uses it. Closing releases every descriptor not handed out.
 */
public final class HelperFileOpener implements LayerFiles {
    private final UsernsHelper helper;
    private final List<Path> directories;
    private final List<byte[]> plan = new ArrayList<>();
    private int planned;
    /** Opened ahead and not yet handed out, by cleaned name; a name can occur twice in a tar-split. */
    private final Map<ByteBuffer, ArrayDeque<OpenResult>> ready = new HashMap<>();

    /** {@code directories}: the layer's content directories, nearest first (LayerContent.contentDirectories()). */
    public HelperFileOpener(UsernsHelper helper, List<Path> directories) {
        this.helper = helper;
        this.directories = List.copyOf(directories);
    }

    /** Announces names {@link #open} will be asked for, in that order; they are fetched a window at a time. */
    public void prefetch(List<byte[]> names) throws UnsafeLayerPathException {
        for (byte[] name : names) {
            plan.add(LayerPath.clean(name));
        }
    }

    @Override
    public OwnedFd open(byte[] name) throws IOException {
        byte[] clean = LayerPath.clean(name);
        ByteBuffer key = ByteBuffer.wrap(clean);
        if (!ready.containsKey(key) && planned < plan.size()) {
            fetchWindow();
        }
        ArrayDeque<OpenResult> queued = ready.get(key);
        OpenResult result;
        if (queued != null) {
            result = queued.removeFirst();
            if (queued.isEmpty()) {
                ready.remove(key);
            }
        } else {
            result = fetch(List.of(clean)).getFirst();
        }
        return fd(clean, result);
    }

    private void fetchWindow() throws IOException {
        int end = Math.min(plan.size(), planned + HelperProtocol.MAX_NAMES_PER_REQUEST);
        List<byte[]> window = plan.subList(planned, end);
        List<OpenResult> results = fetch(window);
        for (int i = 0; i < window.size(); i++) {
            ready.computeIfAbsent(ByteBuffer.wrap(window.get(i)), k -> new ArrayDeque<>()).addLast(results.get(i));
        }
        planned = end;
    }

    private List<OpenResult> fetch(List<byte[]> names) throws IOException {
        try {
            return helper.openLayerFiles(directories, names);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the userns helper opened files in "
                    + directories.getFirst());
        }
    }

    /** The LayerFileOpener contract: missing is NoSuchFileException, a refusal an UnsafeLayerPathException. */
    private OwnedFd fd(byte[] name, OpenResult result) throws IOException {
        String printable = Open.printable(name);
        return switch (result) {
            case OpenResult.Opened opened -> opened.fd();
            case OpenResult.Missing missing -> throw new NoSuchFileException(printable, null,
                    "not in any of the " + directories.size() + " content directories (nearest: "
                            + directories.getFirst() + ")");
            case OpenResult.Refused refused -> throw new UnsafeLayerPathException("the userns helper refused "
                    + printable + ": " + refused.message());
            case OpenResult.Failed failed -> throw new IOException("the userns helper could not open " + printable
                    + ": " + failed.message());
        };
    }

    @Override
    public void close() {
        ready.values().forEach(q -> q.forEach(OpenResult::close));
        ready.clear();
    }
}
