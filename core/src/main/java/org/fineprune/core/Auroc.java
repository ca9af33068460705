package org.fineprune.core;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The area under the ROC curve of a score that should be higher for the positives: the chance
 * that a random positive scores above a random negative, ties counting half (the Mann-Whitney U
 * statistic over the product of the class sizes).
 */
public final class Auroc {
    private Auroc() {}

    /**
     * The AUROC of {@code scores} for telling the {@code positive} samples from the others, from 0
     * to 1, or {@code null} where either class is empty.
     *
     * @throws IllegalArgumentException if the arrays differ in length
     */
    public static Double of(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + positive.length + " labels");
        }
        Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        long positives = 0;
        double rankSum = 0;
        for (int start = 0; start < order.length;) {
            int end = start;
            while (end < order.length && scores[order[end]] == scores[order[start]]) {
                end++;
            }
            double meanRank = (start + 1 + end) / 2.0; // ranks start + 1 .. end share their mean
            for (int k = start; k < end; k++) {
                if (positive[order[k]]) {
                    positives++;
                    rankSum += meanRank;
                }
            }
            start = end;
        }
        long negatives = scores.length - positives;
        if (positives == 0 || negatives == 0) {
            return null;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
