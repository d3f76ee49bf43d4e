package io.dagctl.cli.output;

import java.io.PrintWriter;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The CLI's progress bars: redrawn on a terminal, a line every few seconds otherwise (CI logs, pipes). */
final class ProgressBars {

    private ProgressBars() {}

    static ProgressBar of(String unit, int max, boolean interactive, PrintWriter err) {
        ProgressBarBuilder builder = new ProgressBarBuilder()
                .setTaskName(unit)
                .setInitialMax(max)
                .setStyle(ProgressBarStyle.ASCII)
                .showSpeed()
                .continuousUpdate();
        if (interactive) {
            builder.setUpdateIntervalMillis(200);
        } else {
            builder.setUpdateIntervalMillis(5_000)
                    .setConsumer(new DelegatingProgressBarConsumer(
                            line -> {
                                err.println(line.strip());
                                err.flush();
                            },
                            200));
        }
        return builder.build();
    }
}
