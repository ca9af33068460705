package org.fineprune.defenses.pruning;

import java.util.List;
import org.fineprune.core.Architecture;
import org.fineprune.core.Distinct;

/**
 * The settings of a mean-activation pruning sweep.
 *
 * @param layer the convolution whose channels are pruned (the lab's is {@code conv_3})
 * @param rankingLayer the layer whose mean activation ranks them, or {@code null} for the network's
 *     default ({@link Architecture#rankingLayer}); {@link #resolve} fills it in
 * @param drops accuracy-drop thresholds in percentage points, each in (0, 100) and given once
 * @param rule which model each threshold keeps
 * @param batchSize images per forward pass
 * @param fullForward re-run the whole network at every step (slow; for measuring the speed-up)
 */
public record PruningConfig(String layer, String rankingLayer, List<Double> drops, SelectionRule rule,
        int batchSize, boolean fullForward) {
    /** The lab's thresholds: 2, 4, 10 and 30 points below the BadNet's validation accuracy. */
    public static final List<Double> DEFAULT_DROPS = List.of(2.0, 4.0, 10.0, 30.0);

    /** Validates the values that do not depend on the network; see {@link #resolve} for the others. */
    public PruningConfig {
        if (layer == null) {
            throw new IllegalArgumentException("a layer to prune is needed");
        }
        drops = List.copyOf(drops);
        if (drops.isEmpty()) {
            throw new IllegalArgumentException("at least one accuracy-drop threshold is needed");
        }
        for (double drop : drops) {
            if (!(drop > 0 && drop < 100)) {
                throw new IllegalArgumentException("accuracy-drop threshold " + drop + " is outside (0, 100)");
            }
        }
        Distinct.require("accuracy-drop thresholds", drops);
        if (rule == null) {
            throw new IllegalArgumentException("a selection rule is needed");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
    }

    /**
     * This configuration for a network of {@code architecture}, with the ranking layer filled in.
     *
     * @throws IllegalArgumentException if the layer is not one of its convolutions, or the ranking
     *     layer has other channels than the pruned layer
     */
    public PruningConfig resolve(Architecture architecture) {
        architecture.conv(layer);
        String pool = architecture.rankingLayer(layer);
        String ranking = rankingLayer == null ? pool : rankingLayer;
        if (!ranking.equals(layer) && !ranking.equals(pool)) {
            throw new IllegalArgumentException("channels of " + layer + " can be ranked by " + layer + " or " + pool
                    + ", which have the same channels, not by '" + ranking + "'");
        }
        return new PruningConfig(layer, ranking, drops, rule, batchSize, fullForward);
    }

    /** The lab's method: prune conv_3 ranked by pool_3, thresholds 2, 4, 10, 30, first model over each. */
    public static PruningConfig lab() {
        return new PruningConfig("conv_3", null, DEFAULT_DROPS, SelectionRule.FIRST_OVER, 256, false);
    }

    /** A copy pruning another layer, ranked by that layer's default ranking layer. */
    public PruningConfig layer(String name) {
        return new PruningConfig(name, null, drops, rule, batchSize, fullForward);
    }

    /** A copy ranking channels by the mean activation of another layer. */
    public PruningConfig rankingLayer(String name) {
        return new PruningConfig(layer, name, drops, rule, batchSize, fullForward);
    }

    /** A copy with other thresholds. */
    public PruningConfig drops(List<Double> thresholds) {
        return new PruningConfig(layer, rankingLayer, thresholds, rule, batchSize, fullForward);
    }

    /** A copy with other thresholds. */
    public PruningConfig drops(double... thresholds) {
        return drops(java.util.Arrays.stream(thresholds).boxed().toList());
    }

    /** A copy with another selection rule. */
    public PruningConfig rule(SelectionRule selection) {
        return new PruningConfig(layer, rankingLayer, drops, selection, batchSize, fullForward);
    }

    /** A copy with another batch size. */
    public PruningConfig batchSize(int images) {
        return new PruningConfig(layer, rankingLayer, drops, rule, images, fullForward);
    }

    /** A copy that re-runs the whole network at every step, or not. */
    public PruningConfig fullForward(boolean slow) {
        return new PruningConfig(layer, rankingLayer, drops, rule, batchSize, slow);
    }
}
