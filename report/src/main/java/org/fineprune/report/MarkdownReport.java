package org.fineprune.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.fineprune.experiments.SweepPoint;

/** {@code report.md}: what the sweep varied, the summary table, the plots and how to read them. */
final class MarkdownReport {
    /** The file name in the run folder. */
    static final String NAME = "report.md";

    private static final List<String> HEADER = List.of("layer", "engine", "drop", "seeds", "pruned",
            "valid acc (kept)", "clean acc (repaired)", "attack success (repaired)", "clean acc (GoodNet)",
            "attack success (GoodNet)", "poisoned flagged (GoodNet)", "clean flagged (GoodNet)");

    /** A plot of the report: its path relative to the run folder, heading and description. */
    record Plot(String link, String heading, String alt) {}

    private MarkdownReport() {}

    /**
     * The whole report.
     *
     * @param folder the run folder's name, for the first lines
     * @param records every record
     * @param groups the (layer, engine, drop) groups
     * @param plots the plots, in the order they are shown
     */
    static String render(String folder, List<ResultRecord> records, List<GroupSummary> groups, List<Plot> plots) {
        StringBuilder md = new StringBuilder();
        Set<String> experiments = distinct(records, ResultRecord::experiment);
        experiments.remove("");
        md.append("# Sweep report: ")
                .append(experiments.isEmpty() ? folder : String.join(", ", experiments)).append("\n\n");
        int maxSeeds = groups.stream().mapToInt(GroupSummary::seeds).max().orElse(0);
        md.append(String.format(Locale.ROOT, "Run folder `%s`: %d records in [%s](%s), %d (layer, engine, drop) "
                + "points%s.%n%n", folder, records.size(), ResultsFile.NAME, ResultsFile.NAME, groups.size(),
                maxSeeds > 1 ? ", each aggregated over its seeds" : ""));

        md.append("## Axes\n\n| axis | values |\n|---|---|\n");
        axes(records).forEach((axis, values) -> md.append("| ").append(Text.cell(axis)).append(" | ")
                .append(Text.cell(String.join(", ", values))).append(" |\n"));
        Set<String> rules = distinct(records, ResultRecord::rule);
        rules.remove("");
        Set<String> ranking = distinct(records, ResultRecord::rankingLayer);
        ranking.remove("");
        List<String> settings = new ArrayList<>();
        if (!rules.isEmpty()) {
            settings.add("selection rule " + code(rules));
        }
        if (!ranking.isEmpty()) {
            settings.add("channels ranked by their mean activation in " + code(ranking));
        }
        if (!settings.isEmpty()) {
            md.append('\n').append(capitalise(String.join("; ", settings))).append(".\n");
        }

        md.append("\n## Summary\n\n");
        md.append(maxSeeds > 1 ? "Mean ± sample standard deviation over seeds where a point has several; "
                : "One seed per point; ")
                .append("accuracies and rates in percent, drop in percentage points of validation accuracy. ")
                .append("The same numbers with four decimals are in [summary.csv](")
                .append(SummaryCsv.NAME).append(").\n\n");
        md.append("| ").append(String.join(" | ", HEADER)).append(" |\n|")
                .append("---|".repeat(3)).append("---:|".repeat(HEADER.size() - 3)).append('\n');
        boolean unreached = false;
        for (GroupSummary g : groups) {
            unreached |= !g.allReached();
            List<String> row = List.of(Text.cell(g.layer()), Text.cell(g.engine()), SweepPoint.number(g.drop()),
                    Integer.toString(g.seeds()), pruned(g.pruned()) + (g.allReached() ? "" : " †"),
                    percent(g.validAccuracy()), percent(g.repairedClean()), percent(g.repairedAttack()),
                    percent(g.goodnetClean()), percent(g.goodnetAttack()), percent(g.goodnetPoisonedFlagged()),
                    percent(g.goodnetCleanFlagged()));
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        if (unreached) {
            md.append("\n† Pruning never lost that much validation accuracy (in at least one seed): the fully "
                    + "pruned model is kept.\n");
        }

        md.append("\n## Plots\n");
        for (Plot plot : plots) {
            md.append("\n### ").append(plot.heading()).append("\n\n![").append(plot.alt()).append("](")
                    .append(plot.link()).append(")\n");
        }
        md.append("\n## How to read them\n\n");
        md.append("The pruning plots follow the figure of Fine-Pruning (Liu, Dolan-Gavitt and Garg, RAID 2018). "
                + "Channels of the layer are pruned one at a time, lowest mean activation on clean validation "
                + "data first; the line without markers is the validation accuracy after each step (x = 0 is the "
                + "BadNet itself)");
        md.append(maxSeeds > 1 ? ", averaged over seeds. " : ". ");
        md.append("Each accuracy-drop threshold d keeps one pruned model, ");
        md.append(rules.isEmpty() ? "by the sweep's selection rule"
                : rules.stream().map(MarkdownReport::rule).collect(Collectors.joining("; ")));
        md.append(". A dashed vertical line labelled d=… marks that model, and the markers on it are the "
                + "repaired model's clean test accuracy and attack success rate. A good repair keeps clean "
                + "accuracy close to the BadNet's while the attack success rate falls.\n\n");
        md.append("The last plot puts the thresholds side by side: each point is a repaired model, labelled "
                + "with its drop d; the bottom right (high clean accuracy, low attack success rate) is where a "
                + "repair should land, and the cross is the BadNet before pruning.\n");
        return md.toString();
    }

    /** The axes of the records' points and their values in natural order. */
    static Map<String, List<String>> axes(List<ResultRecord> records) {
        Map<String, Set<String>> axes = new LinkedHashMap<>();
        for (ResultRecord r : records) {
            r.axes().forEach((axis, value) -> axes.computeIfAbsent(axis, a -> new TreeSet<>(Text.NATURAL))
                    .add(value));
        }
        Map<String, List<String>> sorted = new LinkedHashMap<>();
        axes.keySet().stream().sorted().forEach(axis -> sorted.put(axis, List.copyOf(axes.get(axis))));
        return sorted;
    }

    private static String rule(String rule) {
        String otherwise = " (the fully pruned model when no step loses that much)";
        return "under the rule " + switch (rule) {
            case "first-over" -> "`first-over`: the first pruned model whose validation accuracy is at least d "
                    + "percentage points below the BadNet's" + otherwise;
            case "last-under" -> "`last-under`: the last pruned model whose validation accuracy is still less "
                    + "than d points below the BadNet's" + otherwise;
            default -> "`" + rule + "`";
        };
    }

    private static String pruned(Stat stat) {
        if (stat.n() == 0) {
            return "–";
        }
        if (stat.n() == 1) {
            return SweepPoint.number(stat.mean());
        }
        return String.format(Locale.ROOT, "%.1f ± %.1f", stat.mean(), stat.sd());
    }

    private static String percent(Stat stat) {
        if (stat.n() == 0) {
            return "–";
        }
        return stat.n() == 1 ? String.format(Locale.ROOT, "%.2f", stat.mean())
                : String.format(Locale.ROOT, "%.2f ± %.2f", stat.mean(), stat.sd());
    }

    private static String code(Set<String> values) {
        return values.stream().map(v -> "`" + v + "`").collect(Collectors.joining(", "));
    }

    private static String capitalise(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static Set<String> distinct(List<ResultRecord> records, Function<ResultRecord, String> field) {
        return records.stream().map(field).collect(Collectors.toCollection(() -> new TreeSet<>(Text.NATURAL)));
    }
}
