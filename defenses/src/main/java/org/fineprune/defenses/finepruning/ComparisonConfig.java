package org.fineprune.defenses.finepruning;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fineprune.core.TrainingConfig;
import org.fineprune.defenses.finetuning.FineTuning;
import org.fineprune.defenses.pruning.MultiLayerConfig;
import org.fineprune.defenses.pruning.SelectionRule;

/**
 * The settings of a {@link FinePruning#compare} run.
 *
 * @param drop the accuracy-drop threshold, in percentage points of validation accuracy, at which
 *     pruning stops (the first pruned model whose drop reaches it is kept)
 * @param layers the convolutions multi-layer fine-pruning prunes; empty for all of the network's
 * @param fractions per-layer shares for multi-layer pruning; empty for one global ranking of
 *     per-layer-normalised mean activations
 * @param fineTuning how every fine-tuning variant trains
 * @param batchSize images per forward pass when ranking and scoring
 */
public record ComparisonConfig(double drop, List<String> layers, Map<String, Double> fractions,
        TrainingConfig fineTuning, int batchSize) {
    /**
     * The default threshold: pruning stops once validation accuracy has fallen by 20 points, which
     * fine-tuning then mostly wins back. Chosen on the Fashion-MNIST BadNet of seed 1 (see
     * docs/results.md); the lab's thresholds are 2, 4, 10 and 30.
     */
    public static final double DEFAULT_DROP = 20;

    /** Validates the values. */
    public ComparisonConfig {
        if (!(drop > 0 && drop < 100)) {
            throw new IllegalArgumentException("accuracy-drop threshold " + drop + " is outside (0, 100)");
        }
        layers = List.copyOf(layers);
        fractions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fractions));
        if (fineTuning == null) {
            throw new IllegalArgumentException("fine-tuning settings are needed");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        // Checked here, not when multi-layer pruning starts: by then the other three defenses have run.
        if (!layers.isEmpty()) {
            new MultiLayerConfig(layers, fractions, List.of(drop), SelectionRule.FIRST_OVER, batchSize);
        } else if (!fractions.isEmpty()) {
            throw new IllegalArgumentException("fractions " + fractions + " need the layers they are of");
        }
    }

    /** Threshold {@value #DEFAULT_DROP} points, all conv layers in one global ranking, {@link FineTuning#DEFAULTS}. */
    public static ComparisonConfig defaults() {
        return new ComparisonConfig(DEFAULT_DROP, List.of(), Map.of(), FineTuning.DEFAULTS, 256);
    }

    /** A copy with another threshold. */
    public ComparisonConfig drop(double points) {
        return new ComparisonConfig(points, layers, fractions, fineTuning, batchSize);
    }

    /** A copy in which multi-layer fine-pruning prunes {@code names}, globally ranked. */
    public ComparisonConfig layers(String... names) {
        return new ComparisonConfig(drop, List.of(names), Map.of(), fineTuning, batchSize);
    }

    /** A copy in which multi-layer fine-pruning prunes up to the given share of each layer. */
    public ComparisonConfig fractions(Map<String, Double> shares) {
        return new ComparisonConfig(drop, List.copyOf(shares.keySet()), shares, fineTuning, batchSize);
    }

    /** A copy with other fine-tuning settings. */
    public ComparisonConfig fineTuning(TrainingConfig training) {
        return new ComparisonConfig(drop, layers, fractions, training, batchSize);
    }

    /** A copy with another batch size. */
    public ComparisonConfig batchSize(int images) {
        return new ComparisonConfig(drop, layers, fractions, fineTuning, images);
    }
}
