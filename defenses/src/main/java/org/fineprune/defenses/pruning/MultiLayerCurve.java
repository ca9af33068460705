package org.fineprune.defenses.pruning;

import org.fineprune.core.LayerChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a multi-layer pruning sweep measured on clean validation data: the channels in pruning order
 * and the validation accuracy after each step.
 *
 * @param means the mean activation of each channel, by layer
 * @param order the channels in pruning order
 * @param baselineAccuracy the unpruned BadNet's validation accuracy, in percent
 * @param accuracies validation accuracy in percent after pruning the first 1, 2, ... channels of {@code order}
 */
public record MultiLayerCurve(Map<String, double[]> means, List<LayerChannel> order, double baselineAccuracy,
        double[] accuracies) {
    /** Checks that there is one accuracy per step. */
    public MultiLayerCurve {
        order = List.copyOf(order);
        if (accuracies.length != order.size()) {
            throw new IllegalArgumentException(order.size() + " steps but " + accuracies.length + " accuracies");
        }
    }

    /** The drop in validation accuracy, in percentage points, after {@code pruned} steps. */
    public double drop(int pruned) {
        return pruned == 0 ? 0 : baselineAccuracy - accuracies[pruned - 1];
    }

    /** The validation accuracy after {@code pruned} steps (0: the BadNet itself). */
    public double accuracy(int pruned) {
        return pruned == 0 ? baselineAccuracy : accuracies[pruned - 1];
    }

    /** The channels of the first {@code pruned} steps by layer, each in pruning order. */
    public Map<String, int[]> channels(int pruned) {
        return LayerChannel.byLayer(order.subList(0, pruned));
    }

    /** The model each threshold keeps under {@code rule}, as {@link PruningCurve#select} picks them. */
    public List<MultiLayerSelection> select(List<Double> drops, SelectionRule rule) {
        List<MultiLayerSelection> selections = new ArrayList<>();
        for (double threshold : drops) {
            int firstOver = PruningCurve.firstOver(threshold, order.size(), this::drop);
            int pruned = rule.pruned(firstOver, order.size());
            selections.add(new MultiLayerSelection(threshold, rule, firstOver > 0, pruned, accuracy(pruned),
                    channels(pruned)));
        }
        return selections;
    }
}
