package io.dagctl.cli.output;

import io.dagctl.core.model.Backfill;
import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;

/** Live progress of a backfill on stderr: ticks done (run or skipped) of the window's ticks. */
public final class BackfillProgress implements AutoCloseable {

    private final ProgressBar bar;

    public BackfillProgress(int ticks, boolean interactive, PrintWriter err) {
        this.bar = ProgressBars.of("ticks", ticks, interactive, err);
    }

    public void update(Backfill backfill) {
        bar.stepTo(backfill.done());
        bar.setExtraMessage(String.format(
                " running %d, succeeded %d, failed %d, cancelled %d, skipped %d",
                backfill.running().size(),
                backfill.succeeded(),
                backfill.failed(),
                backfill.cancelled(),
                backfill.skipped()));
    }

    @Override
    public void close() {
        bar.close();
    }
}
