package org.fineprune.defenses.pruning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of a pruning sweep over several convolutions at once.
 *
 * <p>Without {@code fractions}, one global ranking: each channel's mean activation divided by the
 * mean over its layer's channels, ascending (layers differ in scale, so raw means would prune the
 * quietest layer first). With {@code fractions}, each layer is ranked on its own and at most that
 * share of its channels is pruned, the layers interleaved so that they reach their shares together.
 * Each layer's channels are ranked by its {@code rankingLayer} (the pool after it, where there is one).
 *
 * @param layers the convolutions to prune, at least one, no repeats
 * @param fractions per-layer shares in (0, 1], one per layer, or empty for the global ranking
 * @param drops accuracy-drop thresholds in percentage points, each in (0, 100)
 * @param rule which model each threshold keeps
 * @param batchSize images per forward pass
 */
public record MultiLayerConfig(List<String> layers, Map<String, Double> fractions, List<Double> drops,
        SelectionRule rule, int batchSize) {
    /** Validates the values that do not depend on the network. */
    public MultiLayerConfig {
        layers = List.copyOf(layers);
        fractions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fractions));
        drops = List.copyOf(drops);
        if (layers.isEmpty() || layers.stream().distinct().count() != layers.size()) {
            throw new IllegalArgumentException("give each layer to prune once, got " + layers);
        }
        if (!fractions.isEmpty() && !fractions.keySet().equals(new java.util.HashSet<>(layers))) {
            throw new IllegalArgumentException("give one fraction per layer " + layers + ", got " + fractions.keySet());
        }
        fractions.forEach((layer, f) -> {
            if (!(f > 0 && f <= 1)) {
                throw new IllegalArgumentException("fraction " + f + " of " + layer + " is outside (0, 1]");
            }
        });
        new PruningConfig(layers.get(0), null, drops, rule, batchSize, false);
    }

    /** All channels of {@code layers} in one global ranking, thresholds 2, 4, 10 and 30, first model over each. */
    public static MultiLayerConfig global(List<String> layers) {
        return new MultiLayerConfig(layers, Map.of(), PruningConfig.DEFAULT_DROPS, SelectionRule.FIRST_OVER, 256);
    }

    /** Each layer ranked on its own, pruned up to its share; other settings as {@link #global}. */
    public static MultiLayerConfig fractions(Map<String, Double> shares) {
        return new MultiLayerConfig(new ArrayList<>(shares.keySet()), shares, PruningConfig.DEFAULT_DROPS,
                SelectionRule.FIRST_OVER, 256);
    }

    /** Whether the layers share one global ranking. */
    public boolean isGlobal() {
        return fractions.isEmpty();
    }

    /** A copy with other thresholds. */
    public MultiLayerConfig drops(List<Double> thresholds) {
        return new MultiLayerConfig(layers, fractions, thresholds, rule, batchSize);
    }

    /** A copy with another selection rule. */
    public MultiLayerConfig rule(SelectionRule selection) {
        return new MultiLayerConfig(layers, fractions, drops, selection, batchSize);
    }

    /** A copy with another batch size. */
    public MultiLayerConfig batchSize(int images) {
        return new MultiLayerConfig(layers, fractions, drops, rule, images);
    }

    /** A description such as {@code global(conv_1, conv_2)} or {@code fractions(conv_1=0.2, conv_2=0.8)}. */
    public String describe() {
        if (isGlobal()) {
            return "global(" + String.join(", ", layers) + ")";
        }
        List<String> parts = new ArrayList<>();
        fractions.forEach((layer, f) -> parts.add(layer + "=" + f));
        return "fractions(" + String.join(", ", parts) + ")";
    }
}
