package layerfd.server.rootless;

import layerfd.server.tarsplit.LayerFileOpener;

/** A layer's file opener for one stream; closing releases what it opened ahead and did not hand out. */
public interface LayerFiles extends LayerFileOpener, AutoCloseable {
    @Override
    void close();
}
