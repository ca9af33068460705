package org.fineprune.report;

import java.util.ArrayList;
import java.util.List;
import org.fineprune.experiments.SweepPoint;

/**
 * {@code summary.csv}: one row per (layer, engine, drop), means and sample standard deviations over
 * seeds with {@value #DECIMALS} decimals; a metric no record has is an empty field.
 */
final class SummaryCsv {
    /** The file name in the run folder. */
    static final String NAME = "summary.csv";

    /** The header, in column order. */
    static final List<String> COLUMNS = List.of("layer", "engine", "drop", "seeds", "pruned_mean", "pruned_sd",
            "valid_accuracy_mean", "repaired_clean_accuracy_mean", "repaired_clean_accuracy_sd",
            "repaired_attack_success_rate_mean", "repaired_attack_success_rate_sd", "goodnet_clean_accuracy_mean",
            "goodnet_clean_accuracy_sd", "goodnet_attack_success_rate_mean", "goodnet_attack_success_rate_sd",
            "goodnet_poisoned_flagged_mean", "goodnet_poisoned_flagged_sd", "goodnet_clean_flagged_mean",
            "goodnet_clean_flagged_sd");

    private static final int DECIMALS = 4;

    private SummaryCsv() {}

    /** The whole file: header and rows, each line ending in {@code \n}. */
    static String render(List<GroupSummary> groups) {
        StringBuilder csv = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (GroupSummary g : groups) {
            List<String> row = new ArrayList<>(List.of(Text.csv(g.layer()), Text.csv(g.engine()),
                    SweepPoint.number(g.drop()), Integer.toString(g.seeds())));
            meanAndSd(row, g.pruned());
            row.add(Text.fixed(g.validAccuracy().mean(), DECIMALS));
            for (Stat stat : List.of(g.repairedClean(), g.repairedAttack(), g.goodnetClean(), g.goodnetAttack(),
                    g.goodnetPoisonedFlagged(), g.goodnetCleanFlagged())) {
                meanAndSd(row, stat);
            }
            csv.append(String.join(",", row)).append('\n');
        }
        return csv.toString();
    }

    private static void meanAndSd(List<String> row, Stat stat) {
        row.add(Text.fixed(stat.mean(), DECIMALS));
        row.add(Text.fixed(stat.sd(), DECIMALS));
    }
}
