package org.fineprune.experiments;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Reports a sweep's progress: a bar with the estimated time left on a terminal, one plain line per
 * finished pass elsewhere, and nothing in CI (where {@code CI} is set) so that logs stay clean.
 */
public final class SweepProgress {
    private static final int BAR = 30;

    private final PrintStream out;
    private final boolean terminal;
    private long start;
    private int total;
    private int done;
    private int baseline;

    private SweepProgress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Progress on standard error suited to where the process runs. */
    public static SweepProgress onTerminal() {
        if (System.getenv("CI") != null) {
            return silent();
        }
        return new SweepProgress(System.err, System.console() != null);
    }

    /** No output at all. */
    public static SweepProgress silent() {
        return new SweepProgress(null, false);
    }

    void start(int points, int alreadyRecorded) {
        start = System.nanoTime();
        total = points;
        done = alreadyRecorded;
        baseline = alreadyRecorded;
        if (out != null && alreadyRecorded > 0) {
            out.printf(Locale.ROOT, "resuming: %d of %d points already recorded%n", alreadyRecorded, points);
        }
        show("");
    }

    void finished(int points, String what) {
        done += points;
        show(what);
    }

    void end() {
        if (out != null && terminal) {
            out.print("\r\033[K");
            out.flush();
        }
    }

    private void show(String what) {
        if (out == null || total == 0) {
            return;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int fresh = done - baseline;
        String left = fresh == 0 ? "?" : duration(seconds / fresh * (total - done));
        if (terminal) {
            int filled = BAR * done / total;
            out.printf(Locale.ROOT, "\r[%s%s] %d/%d points, %s left ", "#".repeat(filled), ".".repeat(BAR - filled),
                    done, total, left);
            out.flush();
        } else if (!what.isEmpty()) {
            out.printf(Locale.ROOT, "%d/%d points done (%s), %s elapsed, about %s left%n", done, total, what,
                    duration(seconds), left);
        }
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s < 60 ? s + "s" : (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
    }
}
