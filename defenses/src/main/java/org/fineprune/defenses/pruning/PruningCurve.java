package org.fineprune.defenses.pruning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.fineprune.core.LayerChannel;

/**
 * What a pruning sweep measured on clean validation data: the channels in pruning order and the
 * validation accuracy after each step.
 *
 * @param layer the pruned convolution
 * @param rankingLayer the layer whose mean activation ranked the channels
 * @param means the mean activation of each channel, by channel index
 * @param order channel indices in pruning order: ascending mean, ties by index
 * @param baselineAccuracy the unpruned BadNet's validation accuracy, in percent
 * @param accuracies validation accuracy in percent after pruning the first 1, 2, ... channels of
 *     {@code order}
 */
public record PruningCurve(String layer, String rankingLayer, double[] means, int[] order, double baselineAccuracy,
        double[] accuracies) {
    /** Checks that there is one accuracy per channel. */
    public PruningCurve {
        if (order.length != means.length || accuracies.length != order.length) {
            throw new IllegalArgumentException("need one mean, one order entry and one accuracy per channel");
        }
    }

    /** Channel indices sorted by ascending mean; equal means keep ascending channel index. */
    public static int[] rank(double[] means) {
        Integer[] channels = new Integer[means.length];
        for (int c = 0; c < channels.length; c++) {
            channels[c] = c;
        }
        Arrays.sort(channels, (a, b) -> {
            int byMean = Double.compare(means[a], means[b]);
            return byMean != 0 ? byMean : Integer.compare(a, b);
        });
        return Arrays.stream(channels).mapToInt(Integer::intValue).toArray();
    }

    /** The drop in validation accuracy, in percentage points, after pruning {@code pruned} channels. */
    public double drop(int pruned) {
        return pruned == 0 ? 0 : baselineAccuracy - accuracies[pruned - 1];
    }

    /** The validation accuracy after pruning {@code pruned} channels (0: the BadNet itself). */
    public double accuracy(int pruned) {
        return pruned == 0 ? baselineAccuracy : accuracies[pruned - 1];
    }

    /** The pruning order as steps of {@link #layer}. */
    public List<LayerChannel> steps() {
        return Arrays.stream(order).mapToObj(c -> new LayerChannel(layer, c)).toList();
    }

    /** The first {@code pruned} channels of the pruning order. */
    public int[] firstChannels(int pruned) {
        return Arrays.copyOf(order, pruned);
    }

    /**
     * The model each threshold keeps under {@code rule}; only validation accuracies are looked at.
     *
     * <p>{@link SelectionRule#FIRST_OVER}: the first step whose drop is at least the threshold.
     * {@link SelectionRule#LAST_UNDER}: the step before it. When no step reaches the threshold, both
     * keep the fully pruned model and the selection says the threshold was not reached.
     */
    public List<Selection> select(List<Double> drops, SelectionRule rule) {
        List<Selection> selections = new ArrayList<>();
        for (double threshold : drops) {
            int firstOver = firstOver(threshold, order.length, this::drop);
            boolean reached = firstOver > 0;
            int pruned = rule.pruned(firstOver, order.length);
            selections.add(new Selection(threshold, rule, reached, pruned, accuracy(pruned), firstChannels(pruned)));
        }
        return selections;
    }

    /**
     * The first of {@code steps} steps whose drop is at least {@code threshold}, or -1 if none is;
     * {@code drop} gives the drop in percentage points after a step (1 to {@code steps}).
     */
    public static int firstOver(double threshold, int steps, IntToDoubleFunction drop) {
        for (int k = 1; k <= steps; k++) {
            // Percentages of counts carry rounding error: 98/150 to 95/150 is 1.999999999999993 points.
            if (drop.applyAsDouble(k) >= threshold - 1e-9) {
                return k;
            }
        }
        return -1;
    }
}
