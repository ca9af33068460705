package org.fineprune.report;

import java.util.Map;

/**
 * The fields of one {@code results.jsonl} line that the report uses.
 *
 * <p>Metrics a record lacks are {@code NaN}; they are left out of means and shown as blanks.
 *
 * @param line the 1-based line number in {@code results.jsonl}
 * @param experiment the experiment's name ({@code ""} when the record has none)
 * @param point the record's identity, {@code axis=value} pairs joined with commas
 * @param axes the axes of {@code point}, in the order written
 * @param layer the pruned layer, {@code config.defense.layer}
 * @param engine the DJL engine, {@code config.engine}
 * @param drop the accuracy-drop threshold in percentage points, {@code config.defense.drop}
 * @param seed the record's seed
 * @param rule the selection rule, {@code config.defense.rule} ({@code ""} when absent)
 * @param rankingLayer the layer whose activations rank the channels ({@code ""} when absent)
 * @param pruned the number of channels pruned in the kept model
 * @param reached whether pruning reached the threshold
 * @param validAccuracy validation accuracy of the kept model
 * @param baselineValid validation accuracy of the BadNet
 * @param baselineClean clean test accuracy of the BadNet
 * @param baselineAttack attack success rate of the BadNet
 * @param repairedClean clean test accuracy of the kept (repaired) model
 * @param repairedAttack attack success rate of the repaired model
 * @param goodnetClean clean test accuracy of the GoodNet (BadNet and repaired model combined)
 * @param goodnetAttack attack success rate of the GoodNet
 * @param goodnetPoisonedFlagged percentage of poisoned test inputs the GoodNet flags
 * @param goodnetCleanFlagged percentage of clean test inputs the GoodNet flags
 * @param curve validation accuracy after each pruning step
 */
record ResultRecord(
        int line,
        String experiment,
        String point,
        Map<String, String> axes,
        String layer,
        String engine,
        double drop,
        long seed,
        String rule,
        String rankingLayer,
        double pruned,
        boolean reached,
        double validAccuracy,
        double baselineValid,
        double baselineClean,
        double baselineAttack,
        double repairedClean,
        double repairedAttack,
        double goodnetClean,
        double goodnetAttack,
        double goodnetPoisonedFlagged,
        double goodnetCleanFlagged,
        double[] curve) {

    /** Validation accuracy after {@code pruned} steps: the BadNet's at 0, then the curve. */
    double accuracyAfter(int steps) {
        return steps == 0 ? baselineValid : curve[steps - 1];
    }
}
