package layerfd.cli;

import java.util.List;
import layerfd.client.ImageDetails;
import layerfd.client.apply.ApplyStatistics;
import layerfd.client.apply.ExtractProgress;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr over the bytes of all layers, shown only on a terminal: long work shows progress there
 * and stays quiet otherwise (api-contract.md §4).
 */
final class TerminalProgress implements ExtractProgress, AutoCloseable {
    private static final long MIB = 1 << 20;
    private final ProgressBar bar;
    private final long[] layerStart;

    private TerminalProgress(ProgressBar bar, long[] layerStart) {
        this.bar = bar;
        this.layerStart = layerStart;
    }

    /** A bar when stderr is a terminal and JSON was not asked for; otherwise a progress that hears nothing. */
    static ExtractProgress forLayers(String task, List<ImageDetails.LayerInfo> layers, boolean quiet) {
        if (quiet || System.console() == null) {
            return NONE;
        }
        long[] start = new long[layers.size()];
        long total = 0;
        for (int i = 0; i < layers.size(); i++) {
            start[i] = total;
            total += Math.max(0, layers.get(i).diffSize());
        }
        ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" MiB", MIB)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err))
                .showSpeed().build();
        return new TerminalProgress(bar, start);
    }

    @Override
    public void bytesApplied(int index, long tarBytes) {
        bar.stepTo(layerStart[index] + tarBytes);
    }

    @Override
    public void layerFinished(int index, int count, ApplyStatistics statistics) {
        bar.setExtraMessage("layer " + (index + 1) + "/" + count);
    }

    @Override
    public void close() {
        bar.close();
    }

    /** Closes {@code progress} if it is a bar. */
    static void finish(ExtractProgress progress) {
        if (progress instanceof TerminalProgress bar) {
            bar.close();
        }
    }
}
