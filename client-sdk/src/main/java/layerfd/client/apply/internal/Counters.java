package layerfd.client.apply.internal;

import layerfd.client.apply.ApplyStatistics;

/** The running counts behind {@link ApplyStatistics}, for one layer; single-threaded like the applier. */
public final class Counters {
    long files;
    public long bytesReflinked;
    public long bytesCopied;
    long bytesInline;
    long directories;
    long links;
    long specialFiles;
    long whiteouts;
    long skippedDeviceNodes;
    long xattrsFailed;

    ApplyStatistics snapshot() {
        return new ApplyStatistics(files, bytesReflinked, bytesCopied, bytesInline, directories, links, specialFiles,
                whiteouts, skippedDeviceNodes, xattrsFailed);
    }
}
