package org.fineprune.report;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files {@link SweepReport#write} wrote into a run folder.
 *
 * @param report the Markdown report, {@code report.md}
 * @param summary the table of means and standard deviations, {@code summary.csv}
 * @param plots the PNG plots under {@code plots/}: one pruning figure per pruning pass, then the clean
 *     accuracy against attack success rate
 * @param leaderboard the leaderboard, {@code leaderboard.md}, or {@code null} for a run without subject axes
 */
public record ReportFiles(Path report, Path summary, List<Path> plots, Path leaderboard) {
    /** Copies {@code plots}; rejects null paths. */
    public ReportFiles {
        if (report == null || summary == null || plots == null) {
            throw new IllegalArgumentException("report, summary and plots must not be null");
        }
        plots = List.copyOf(plots);
    }

    /** Every written file: the report, the summary, the plots, then the leaderboard where there is one. */
    public List<Path> all() {
        return Stream.concat(Stream.concat(Stream.of(report, summary), plots.stream()),
                Stream.ofNullable(leaderboard)).toList();
    }
}
