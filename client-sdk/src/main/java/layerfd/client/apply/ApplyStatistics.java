package layerfd.client.apply;

/**
 * What applying one layer (or, summed, a whole image) did.
 *
 * @param files regular files written
 * @param bytesReflinked file bytes that share extents with their source (FICLONE)
 * @param bytesCopied file bytes copied from external files (copy_file_range or read/write)
 * @param bytesInline file bytes written from the stream's inline data
 * @param directories directories created or updated
 * @param links symlinks and hardlinks created
 * @param specialFiles fifos and device nodes created
 * @param whiteouts whiteout and opaque-directory entries applied
 * @param skippedDeviceNodes device nodes not created for lack of privilege
 * @param xattrsFailed extended attributes that could not be set
 */
public record ApplyStatistics(long files, long bytesReflinked, long bytesCopied, long bytesInline, long directories,
                              long links, long specialFiles, long whiteouts, long skippedDeviceNodes,
                              long xattrsFailed) {
    public static final ApplyStatistics ZERO = new ApplyStatistics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** The field-by-field sum, for an image's total. */
    public ApplyStatistics plus(ApplyStatistics o) {
        return new ApplyStatistics(files + o.files, bytesReflinked + o.bytesReflinked, bytesCopied + o.bytesCopied,
                bytesInline + o.bytesInline, directories + o.directories, links + o.links,
                specialFiles + o.specialFiles, whiteouts + o.whiteouts, skippedDeviceNodes + o.skippedDeviceNodes,
                xattrsFailed + o.xattrsFailed);
    }
}
