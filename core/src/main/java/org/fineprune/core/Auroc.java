package org.fineprune.core;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The area under the ROC curve of a detector's scores: the probability that a positive (poisoned)
 * input scores higher than a negative (clean) one, a tie counting half. It is the Mann-Whitney U
 * statistic of the positives divided by the number of pairs, computed from average ranks. Commons
 * Math's {@code MannWhitneyUTest} returns the larger of the two U statistics, which hides a
 * detector scoring the wrong way round, so the few lines are ours.
 */
public final class Auroc {
    private Auroc() {}

    /**
     * The AUROC of {@code positives} against {@code negatives}, from 0 to 1 (0.5: no better than chance).
     *
     * @throws IllegalArgumentException if either is empty or a score is NaN
     */
    public static double of(double[] positives, double[] negatives) {
        if (positives.length == 0 || negatives.length == 0) {
            throw new IllegalArgumentException("AUROC needs positive and negative scores, got " + positives.length
                    + " positive and " + negatives.length + " negative");
        }
        double[] all = new double[positives.length + negatives.length];
        System.arraycopy(positives, 0, all, 0, positives.length);
        System.arraycopy(negatives, 0, all, positives.length, negatives.length);
        if (Arrays.stream(all).anyMatch(Double::isNaN)) {
            throw new IllegalArgumentException("a score is NaN");
        }
        Integer[] order = IntStream.range(0, all.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> all[i]));
        double positiveRanks = 0;
        for (int start = 0; start < order.length; ) {
            int end = start;
            while (end + 1 < order.length && all[order[end + 1]] == all[order[start]]) {
                end++;
            }
            double averageRank = (start + end) / 2.0 + 1;
            for (int k = start; k <= end; k++) {
                if (order[k] < positives.length) {
                    positiveRanks += averageRank;
                }
            }
            start = end + 1;
        }
        double u = positiveRanks - positives.length * (positives.length + 1) / 2.0;
        return u / ((double) positives.length * negatives.length);
    }

    /**
     * The AUROC of {@code scores} for telling the {@code positive} samples from the others, or
     * {@code null} where either class is empty.
     *
     * @throws IllegalArgumentException if the arrays differ in length or a score is NaN
     */
    public static Double of(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + positive.length + " labels");
        }
        double[] positives = IntStream.range(0, scores.length).filter(i -> positive[i]).mapToDouble(i -> scores[i])
                .toArray();
        double[] negatives = IntStream.range(0, scores.length).filter(i -> !positive[i]).mapToDouble(i -> scores[i])
                .toArray();
        return positives.length == 0 || negatives.length == 0 ? null : of(positives, negatives);
    }
}
