package org.fineprune.cli;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.fineprune.core.ImageBatch;
import org.fineprune.core.ImageSource;
import org.fineprune.core.Progress;
import org.fineprune.core.StepListener;

/**
 * The command line's progress displays, drawn by {@code me.tongfei:progressbar} on standard error:
 * a bar with the time left on a terminal, one plain line per step in a pipe, and nothing in CI
 * (where {@code CI} is set), so that logs stay clean.
 */
final class ProgressBars {
    private enum Mode { BAR, LINES, NONE }

    /**
     * Characters a plain line has after its label, for the percentage, a short bar, the count and the
     * times: a pipe has no width, and the library's default would cut a long label's line short.
     */
    private static final int LINE_AFTER_LABEL = 72;

    private final Mode mode;

    private ProgressBars(Mode mode) {
        this.mode = mode;
    }

    /** The display that suits where this process runs. */
    static ProgressBars forThisProcess() {
        return choose(System.getenv("CI") != null, System.console() != null);
    }

    /** Nothing in CI, else a bar on a terminal and plain lines elsewhere. */
    static ProgressBars choose(boolean ci, boolean terminal) {
        return new ProgressBars(ci ? Mode.NONE : terminal ? Mode.BAR : Mode.LINES);
    }

    /** Each phase as one line on standard error, then its steps as {@link #steps} shows them. */
    Progress progress() {
        if (mode == Mode.NONE) {
            return Progress.NONE;
        }
        return phase -> {
            System.err.println(phase + " ...");
            return steps(phase);
        };
    }

    /** A listener that shows {@code label}'s steps as they complete. */
    StepListener steps(String label) {
        if (mode == Mode.NONE) {
            return StepListener.NONE;
        }
        Instant created = Instant.now();
        Display[] display = {null};
        return (done, total) -> {
            // Built at the first step, which the estimate of the time left starts from.
            if (display[0] == null) {
                display[0] = new Display(label, total, "", done, Duration.between(created, Instant.now()));
            }
            display[0].stepTo(done);
            if (done >= total) {
                display[0].close();
                display[0] = null;
            }
        };
    }

    /** {@code source}, showing the images it hands out under {@code label}. */
    ImageSource track(ImageSource source, String label) {
        if (mode == Mode.NONE) {
            return source;
        }
        return new ImageSource() {
            @Override
            public String name() {
                return source.name();
            }

            @Override
            public int size() {
                return source.size();
            }

            @Override
            public boolean labelled() {
                return source.labelled();
            }

            @Override
            public void forEachBatch(int batchSize, Consumer<ImageBatch> consumer) throws IOException {
                try (Display display = new Display(label, source.size(), " images", 0, Duration.ZERO)) {
                    long[] done = {0};
                    source.forEachBatch(batchSize, batch -> {
                        consumer.accept(batch);
                        done[0] += batch.size();
                        display.stepTo(done[0]);
                    });
                }
            }
        };
    }

    /** One bar: redrawn in place on a terminal; in a pipe, one plain line printed per step. */
    private final class Display implements AutoCloseable {
        private final ProgressBar bar;
        private final AtomicReference<String> line = new AtomicReference<>();

        Display(String label, long total, String unit, long done, Duration elapsed) {
            ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(label).setInitialMax(total)
                    .setUnit(unit, 1).startsFrom(done, elapsed);
            bar = mode == Mode.BAR ? builder.clearDisplayOnFinish().build()
                    : builder.setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(Integer.MAX_VALUE)
                            .continuousUpdate().setConsumer(new DelegatingProgressBarConsumer(line::set, label.length() + LINE_AFTER_LABEL))
                            .build();
        }

        void stepTo(long done) {
            bar.stepTo(done);
            if (mode == Mode.LINES) {
                bar.refresh();
                System.err.println(line.get());
            }
        }

        @Override
        public void close() {
            bar.close();
        }
    }
}
