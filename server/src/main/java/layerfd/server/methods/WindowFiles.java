package layerfd.server.methods;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import layerfd.helper.UsernsHelper;
import layerfd.linux.OwnedFd;
import layerfd.server.rootless.ContentOpeners;
import layerfd.server.rootless.HelperFileOpener;
import layerfd.server.store.LayerContent;
import layerfd.server.stream.NamedFiles;
import layerfd.server.tarsplit.LayerFileOpener;

/**
 * Opens a windowed stream's external files when the client asks for a window: directly beneath the layer's
 * directories, or, for a rootless store, through the userns helper with the window's names fetched ahead in one go
 * (docs/rootless.md). Used by one window at a time (the stream serializes them).
 */
final class WindowFiles implements AutoCloseable {
    private final LayerFileOpener direct;
    private final Optional<HelperFileOpener> helper;

    private WindowFiles(LayerFileOpener direct, Optional<HelperFileOpener> helper) {
        this.direct = direct;
        this.helper = helper;
    }

    static WindowFiles of(ContentOpeners openers, LayerContent content) {
        Optional<UsernsHelper> helper = openers.helper();
        return new WindowFiles(content.files(),
                helper.map(h -> new HelperFileOpener(h, content.contentDirectories())));
    }

    /** Files {@code start .. start+count-1}, opened now; on failure none stays open. */
    List<OwnedFd> open(NamedFiles files, int start, int count) throws IOException {
        LayerFileOpener opener = direct;
        if (helper.isPresent()) {
            helper.get().prefetch(files.names(start, count));
            opener = helper.get();
        }
        List<OwnedFd> fds = new ArrayList<>(count);
        try {
            for (int i = start; i < start + count; i++) {
                fds.add(files.open(i, opener));
            }
            return fds;
        } catch (IOException | RuntimeException e) {
            fds.forEach(OwnedFd::close);
            throw e;
        }
    }

    /** Releases what the helper opened ahead and nobody took. */
    @Override
    public void close() {
        helper.ifPresent(HelperFileOpener::close);
    }
}
