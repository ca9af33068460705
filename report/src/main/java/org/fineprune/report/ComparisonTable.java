package org.fineprune.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.fineprune.defenses.finepruning.ComparisonReport;
import org.fineprune.defenses.finepruning.Variant;
import org.fineprune.defenses.finepruning.VariantResult;
import org.fineprune.experiments.comparison.SeedComparison;

/**
 * The table of Fine-Pruning's comparison: one row per defense (and one for the BadNet itself), each
 * cell the mean and sample standard deviation over the seeds, in Markdown ({@code comparison.md})
 * and CSV ({@code comparison.csv}, one row per seed and defense).
 */
public final class ComparisonTable {
    /** The name of the Markdown file. */
    public static final String MARKDOWN = "comparison.md";
    /** The name of the CSV file. */
    public static final String CSV = "comparison.csv";

    private static final List<String> HEADER = List.of("defense", "pruned channels", "valid acc", "clean acc",
            "clean drop", "attack success", "robust acc", "G clean acc", "G attack success", "G flags poisoned", "G flags clean",
            "seconds");
    private static final List<String> CSV_HEADER = List.of("seed", "defense", "pruned", "valid_acc", "clean_acc",
            "clean_drop", "attack_success", "robust_acc", "goodnet_clean_acc", "goodnet_attack_success",
            "goodnet_poisoned_flagged", "goodnet_clean_flagged", "seconds");

    private ComparisonTable() {}

    /** The Markdown page: title, notes, and the table of means and standard deviations over the seeds. */
    public static String markdown(String title, List<String> notes, List<SeedComparison> runs) {
        StringBuilder out = new StringBuilder("# ").append(title).append("\n\n");
        notes.forEach(n -> out.append(n).append("\n"));
        out.append("\n").append(table(runs));
        out.append(runs.size() == 1
                        ? "\nOne seed (" + seedList(runs) + "); values in percent"
                        : "\nCells are mean ± sample standard deviation over " + runs.size() + " seeds ("
                                + seedList(runs) + "), in percent")
                .append(" except channels and seconds. B' is the repaired model, G the GoodNet (B's class where B and B'")
                .append(" agree, else the flag). clean drop = B's clean test accuracy minus B''s.")
                .append(" robust acc = triggered test images classified as their true class, blank where those classes")
                .append(" are unknown (a lab's bd_test.h5).\n");
        return out.toString();
    }

    /** The Markdown table alone. */
    public static String table(List<SeedComparison> runs) {
        StringBuilder out = new StringBuilder();
        out.append("| ").append(String.join(" | ", HEADER)).append(" |\n");
        out.append("|").append("---|".repeat(HEADER.size())).append("\n");
        List<ComparisonReport> reports = runs.stream().map(SeedComparison::report).toList();
        List<String> none = new ArrayList<>(List.of("none (the BadNet B)", "0",
                cell(reports, r -> r.originalValidAccuracy()),
                cell(reports, r -> r.original().clean().percent()), "0",
                cell(reports, r -> r.original().attack().percent()),
                cell(reports, r -> r.originalRobust().percent())));
        while (none.size() < HEADER.size()) {
            none.add("");
        }
        out.append("| ").append(String.join(" | ", none)).append(" |\n");
        for (Variant variant : Variant.values()) {
            List<Row> rows = reports.stream().map(r -> new Row(r, r.result(variant))).toList();
            out.append("| ").append(String.join(" | ", List.of(variant.label(),
                    cellOf(rows, r -> r.result().prunedCount(), rows.size() == 1 ? 0 : 1),
                    cellOf(rows, r -> r.result().validAccuracy(), 2),
                    cellOf(rows, r -> r.result().repaired().clean().percent(), 2),
                    cellOf(rows, Row::cleanDrop, 2),
                    cellOf(rows, r -> r.result().repaired().attack().percent(), 2),
                    cellOf(rows, r -> r.result().robust().percent(), 2),
                    cellOf(rows, r -> r.result().goodNet().clean().percent(), 2),
                    cellOf(rows, r -> r.result().goodNet().attack().percent(), 2),
                    cellOf(rows, r -> r.result().poisonedFlagged().percent(), 2),
                    cellOf(rows, r -> r.result().cleanFlagged().percent(), 2),
                    cellOf(rows, r -> r.result().seconds(), 1)))).append(" |\n");
        }
        return out.toString();
    }

    /** One row per seed and defense, full precision. */
    public static String csv(List<SeedComparison> runs) {
        StringBuilder out = new StringBuilder(String.join(",", CSV_HEADER)).append("\n");
        for (SeedComparison run : runs) {
            for (VariantResult v : run.report().variants()) {
                Row row = new Row(run.report(), v);
                out.append(String.join(",", List.of(String.valueOf(run.seed()), Text.csv(v.variant().label()),
                        String.valueOf(v.prunedCount()), num(v.validAccuracy()), num(v.repaired().clean().percent()),
                        num(row.cleanDrop()), num(v.repaired().attack().percent()), num(v.robust().percent()),
                        num(v.goodNet().clean().percent()), num(v.goodNet().attack().percent()),
                        num(v.poisonedFlagged().percent()), num(v.cleanFlagged().percent()), num(v.seconds()))))
                        .append("\n");
            }
        }
        return out.toString();
    }

    private record Row(ComparisonReport report, VariantResult result) {
        double cleanDrop() {
            return report.original().clean().percent() - result.repaired().clean().percent();
        }
    }

    private static String cell(List<ComparisonReport> reports, ToDoubleFunction<ComparisonReport> metric) {
        return format(Stat.of(reports, metric), 2);
    }

    private static String cellOf(List<Row> rows, ToDoubleFunction<Row> metric, int decimals) {
        return format(Stat.of(rows, metric), decimals);
    }

    private static String format(Stat stat, int decimals) {
        return stat.n() > 1
                ? Text.fixed(stat.mean(), decimals) + " ± " + Text.fixed(stat.sd(), decimals)
                : Text.fixed(stat.mean(), decimals);
    }

    private static String num(double value) {
        return Text.fixed(value, 4);
    }

    private static String seedList(List<SeedComparison> runs) {
        return String.join(", ", runs.stream().map(r -> String.valueOf(r.seed())).toList());
    }
}
