package org.fineprune.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fineprune.core.Accuracy;
import org.fineprune.defenses.pruning.Outcome;
import org.fineprune.defenses.pruning.PruningConfig;
import org.fineprune.defenses.pruning.PruningCurve;
import org.fineprune.defenses.pruning.RepairReport;
import org.fineprune.defenses.pruning.Selection;
import org.fineprune.experiments.Point;

/** A pruning run's results as JSON, text, CSV and Markdown tables. */
record PruningSummary(PruningConfig config, PruningCurve curve, RepairReport report) {
    private static final List<String> COLUMNS = List.of("drop", "pruned", "valid_accuracy",
            "repaired_clean_accuracy", "repaired_attack_success_rate", "goodnet_clean_accuracy",
            "goodnet_attack_success_rate", "goodnet_poisoned_flagged", "goodnet_clean_flagged");

    /** The JSON object of {@code fineprune prune --json}. */
    Map<String, Object> toJson() {
        Map<String, Object> baseline = new LinkedHashMap<>();
        baseline.put("valid_accuracy", curve.baselineAccuracy());
        baseline.put("clean_accuracy", report.original().clean().percent());
        baseline.put("attack_success_rate", report.original().attack().percent());
        List<Map<String, Object>> thresholds = new ArrayList<>();
        for (RepairReport.Row row : report.rows()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("drop", row.selection().drop());
            t.put("reached", row.selection().reached());
            t.put("pruned", row.selection().pruned());
            t.put("valid_accuracy", row.selection().validAccuracy());
            t.put("repaired", scores(row.repaired()));
            Map<String, Object> good = scores(row.goodNet());
            good.put("poisoned_flagged", row.poisonedFlagged().percent());
            good.put("clean_flagged", row.cleanFlagged().percent());
            t.put("goodnet", good);
            thresholds.add(t);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("layer", config.layer());
        json.put("ranking_layer", config.rankingLayer());
        json.put("rule", config.rule().label());
        json.put("baseline", baseline);
        json.put("order", Arrays.stream(curve.order()).boxed().toList());
        json.put("curve", Arrays.stream(curve.accuracies()).boxed().toList());
        json.put("thresholds", thresholds);
        return json;
    }

    private static Map<String, Object> scores(Outcome outcome) {
        Map<String, Object> scores = new LinkedHashMap<>();
        scores.put("clean_accuracy", outcome.clean().percent());
        scores.put("attack_success_rate", outcome.attack().percent());
        return scores;
    }

    /** One row of numbers per threshold, in {@link #COLUMNS} order. */
    private List<List<String>> rows() {
        List<List<String>> rows = new ArrayList<>();
        for (RepairReport.Row row : report.rows()) {
            Selection s = row.selection();
            rows.add(List.of(Point.number(s.drop()), s.pruned() + (s.reached() ? "" : " (not reached)"),
                    percent(s.validAccuracy()), percent(row.repaired().clean()), percent(row.repaired().attack()),
                    percent(row.goodNet().clean()), percent(row.goodNet().attack()), percent(row.poisonedFlagged()),
                    percent(row.cleanFlagged())));
        }
        return rows;
    }

    /** The table for a terminal, with the BadNet's own scores first. */
    String table() {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "BadNet: valid accuracy %s, clean accuracy %s, attack success rate %s%n",
                percent(curve.baselineAccuracy()), percent(report.original().clean()),
                percent(report.original().attack())));
        text.append(String.format(Locale.ROOT, "Pruned %s ranked by mean %s activation; B' = pruned model, G = GoodNet%n",
                config.layer(), config.rankingLayer()));
        String format = "%6s %8s %8s %9s %9s %9s %9s %10s %10s%n";
        text.append(String.format(Locale.ROOT, format, "drop", "pruned", "valid", "B' clean", "B' ASR", "G clean",
                "G ASR", "G flags P", "G flags C"));
        for (List<String> row : rows()) {
            text.append(String.format(Locale.ROOT, format, row.toArray()));
        }
        return text.toString();
    }

    /** The table as CSV with a header line; percentages as plain numbers. */
    String csv() {
        StringBuilder csv = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (List<String> row : rows()) {
            csv.append(String.join(",", row.stream().map(v -> v.replace("%", "").replace(" (not reached)", "")).toList()))
                    .append('\n');
        }
        return csv.toString();
    }

    /** The table in Markdown, with the rule and the BadNet's scores above it. */
    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Pruning `%s` ranked by mean `%s` activation, rule `%s`. "
                        + "BadNet: validation accuracy %s, clean accuracy %s, attack success rate %s.%n%n",
                config.layer(), config.rankingLayer(), config.rule().label(), percent(curve.baselineAccuracy()),
                percent(report.original().clean()), percent(report.original().attack())));
        md.append("| drop | pruned | valid | B' clean | B' ASR | G clean | G ASR | G flags poisoned | G flags clean |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (List<String> row : rows()) {
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return md.toString();
    }

    /** The curve as CSV: one line per step with the channel pruned and the validation accuracy after it. */
    String curveCsv() {
        StringBuilder csv = new StringBuilder("step,channel,mean_activation,valid_accuracy,drop\n");
        csv.append(String.format(Locale.ROOT, "0,,,%s,0%n", curve.baselineAccuracy()));
        for (int k = 1; k <= curve.order().length; k++) {
            int channel = curve.order()[k - 1];
            csv.append(String.format(Locale.ROOT, "%d,%d,%s,%s,%s%n", k, channel, curve.means()[channel],
                    curve.accuracy(k), curve.drop(k)));
        }
        return csv.toString();
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.2f%%", value);
    }

    private static String percent(Accuracy accuracy) {
        return percent(accuracy.percent());
    }
}
