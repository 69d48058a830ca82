package layerfd.client.objects;

import java.util.Locale;

/**
 * What one import did. Objects are counted once per import: {@code newObjects} this import wrote, {@code
 * presentObjects} that were already in the store (or that a concurrent import wrote first).
 *
 * @param bytesReflinked content of new objects made by FICLONE (no data written)
 * @param bytesCopied content of new objects written by copy_file_range or read/write (inline stream data too)
 * @param bytesInlined file content stored inline in the image document (files of at most
 *        {@link ObjectStore#INLINE_LIMIT} bytes)
 * @param entries entries of the image document (the merged tree)
 */
public record ImportStatistics(long newObjects, long presentObjects, long bytesReflinked, long bytesCopied,
                               long bytesInlined, long entries) {
    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB"};
    private static final double UNIT_STEP = 1000.0;

    /** The contract's words (api-contract §6): {@code 42 new + 100 already present objects; 1.5 MB reflinked, ...}. */
    public String summary() {
        return newObjects + " new + " + presentObjects + " already present objects; " + size(bytesReflinked)
                + " reflinked, " + size(bytesCopied) + " copied, " + size(bytesInlined) + " inlined";
    }

    /** Decimal units, one decimal place above bytes, as the contract's example ("1.5 MB", "800 B"). */
    static String size(long bytes) {
        if (bytes < UNIT_STEP) {
            return bytes + " B";
        }
        double v = bytes;
        int unit = 0;
        while (v >= UNIT_STEP && unit < UNITS.length - 1) {
            v /= UNIT_STEP;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, UNITS[unit]);
    }

    @Override
    public String toString() {
        return summary() + " (" + entries + " entries)";
    }
}
