package org.fineprune.experiments.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;
import org.fineprune.core.ImageBatch;
import org.fineprune.core.ImageSource;
import org.fineprune.core.StepListener;

/**
 * Shows how far a pass over images has got, on one rewritten terminal line; silent when the output
 * is not a terminal (CI, pipes), so logs stay clean.
 */
final class Progress {
    private final PrintStream terminal;

    private Progress(PrintStream terminal) {
        this.terminal = terminal;
    }

    /** Progress on standard error when the process runs on a terminal, nothing otherwise. */
    static Progress onTerminal() {
        boolean interactive = System.console() != null && System.getenv("CI") == null;
        return new Progress(interactive ? System.err : null);
    }

    /** A listener that shows {@code label: done/total} as steps complete. */
    StepListener steps(String label) {
        if (terminal == null) {
            return StepListener.NONE;
        }
        long start = System.nanoTime();
        return (done, total) -> {
            double seconds = (System.nanoTime() - start) / 1e9;
            double left = seconds / done * (total - done);
            terminal.printf(Locale.ROOT, "\r%s: %d/%d, about %.0f s left ", label, done, total, left);
            if (done == total) {
                terminal.print("\r\033[K");
            }
            terminal.flush();
        };
    }

    /** {@code source}, reporting each batch it hands out under {@code label}. */
    ImageSource track(ImageSource source, String label) {
        if (terminal == null) {
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
                long start = System.nanoTime();
                int[] done = {0};
                source.forEachBatch(batchSize, batch -> {
                    consumer.accept(batch);
                    done[0] += batch.size();
                    double seconds = (System.nanoTime() - start) / 1e9;
                    terminal.printf(Locale.ROOT, "\r%s: %d/%d images, %.0f images/s ", label, done[0],
                            source.size(), done[0] / Math.max(seconds, 1e-9));
                });
                terminal.print("\r\033[K");
                terminal.flush();
            }
        };
    }
}
