package org.fineprune.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.fineprune.experiments.SubjectAxes;

/**
 * {@code leaderboard.md}, the table of a run over the subject axes, BackdoorBench style (Wu et al.,
 * "BackdoorBench: A Comprehensive Benchmark of Backdoor Learning", NeurIPS 2022): one row per BadNet
 * (network, attack and poisoning rate, where swept) and defense with its other swept values, the
 * BadNet itself first; clean accuracy, attack success rate and robust accuracy of the defense's
 * repaired model (of its input detector where it makes none), each the mean ± sample standard
 * deviation over the seeds, the defense's seconds and the number of seeds.
 */
final class LeaderboardReport {
    /** The file name in the run folder. */
    static final String NAME = "leaderboard.md";

    private LeaderboardReport() {}

    /** Whether {@code table}'s records have a subject axis, so that a leaderboard is written. */
    static boolean applies(Table table) {
        return table.axes().stream().anyMatch(SubjectAxes.NAMES::contains);
    }

    /**
     * The whole file.
     *
     * @param title what the leaderboard is of: the experiment's name
     * @param table the report's table
     * @param plot the path of the clean accuracy against attack success rate plot, relative to the
     *     run folder, or {@code null} where there is none
     */
    static String render(String title, Table table, String plot) {
        List<String> subject = SubjectAxes.NAMES.stream().filter(table.axes()::contains).toList();
        List<String> others = table.axes().stream().filter(a -> !subject.contains(a)).toList();
        boolean engines = table.rows().stream().map(SummaryRow::engine).distinct().count() > 1;
        Comparator<SummaryRow> order = (a, b) -> 0;
        for (String axis : subject) {
            order = order.thenComparing(row -> row.axes().getOrDefault(axis, ""), Text.NATURAL);
        }
        order = order.thenComparing(row -> !row.isBadNet()).thenComparing(SummaryRow::defense, Text.NATURAL);
        for (String axis : others) {
            order = order.thenComparing(row -> row.axes().getOrDefault(axis, ""), Text.NATURAL);
        }
        List<SummaryRow> rows = new ArrayList<>(table.rows());
        rows.sort(order.thenComparing(SummaryRow::engine, Text.NATURAL));

        StringBuilder md = new StringBuilder("# Leaderboard: ").append(title).append("\n\n");
        md.append("One row per BadNet and defense: mean ± sample standard deviation (divisor n - 1) over the "
                + "seeds, in percent, of the clean test accuracy, the attack success rate and the robust "
                + "accuracy (triggered test images classified as their true class) of the defense's repaired "
                + "model, or of its input detector where it makes none (an input it flags counts as wrong); "
                + "the defense's seconds on this machine; – where there is no such number. The full table is "
                + "in [").append(MarkdownReport.NAME).append("](").append(MarkdownReport.NAME).append(").\n\n");
        List<String> header = new ArrayList<>(subject);
        header.add("defense");
        header.addAll(others);
        if (engines) {
            header.add("engine");
        }
        int text = header.size();
        header.addAll(List.of("clean acc", "attack success", "robust acc", "defense s", "seeds"));
        md.append("| ").append(String.join(" | ", header.stream().map(Text::cell).toList())).append(" |\n|")
                .append("---|".repeat(text)).append("---:|".repeat(header.size() - text)).append('\n');
        for (SummaryRow row : rows) {
            List<String> cells = new ArrayList<>();
            subject.forEach(axis -> cells.add(Text.cell(row.axes().getOrDefault(axis, ""))));
            cells.add(Text.cell(row.defense() + scored(row)));
            others.forEach(axis -> cells.add(Text.cell(row.axes().getOrDefault(axis, ""))));
            if (engines) {
                cells.add(Text.cell(row.engine()));
            }
            List<Metric> metrics = metrics(row);
            metrics.forEach(m -> cells.add(m == null ? "–" : MarkdownReport.cell(row.stat(m))));
            cells.add(row.isBadNet() ? "–" : MarkdownReport.cell(row.stat(Metric.DEFENSE_SECONDS)));
            cells.add(Integer.toString(row.seeds()));
            md.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
        if (plot != null) {
            md.append("\n![Clean accuracy against attack success rate, one point per BadNet and defense](")
                    .append(plot).append(")\n");
        }
        return md.toString();
    }

    /** The clean accuracy, attack success rate and robust accuracy of the model a row is scored by ({@code null}: none). */
    private static List<Metric> metrics(SummaryRow row) {
        if (row.isBadNet()) {
            return List.of(Metric.BADNET_CLEAN, Metric.BADNET_ATTACK, Metric.BADNET_ROBUST);
        }
        if (row.stat(Metric.REPAIRED_CLEAN).n() > 0) {
            return List.of(Metric.REPAIRED_CLEAN, Metric.REPAIRED_ATTACK, Metric.REPAIRED_ROBUST);
        }
        if (row.stat(Metric.DETECTOR_CLEAN).n() > 0) {
            return Arrays.asList(Metric.DETECTOR_CLEAN, Metric.DETECTOR_ATTACK, null);
        }
        return Arrays.asList(null, null, null);
    }

    /** What a row's numbers are of, where not a repaired model. */
    private static String scored(SummaryRow row) {
        if (row.isBadNet() || row.stat(Metric.REPAIRED_CLEAN).n() > 0) {
            return "";
        }
        return row.stat(Metric.DETECTOR_CLEAN).n() > 0 ? " (input detector)" : " (training-set detector)";
    }
}
