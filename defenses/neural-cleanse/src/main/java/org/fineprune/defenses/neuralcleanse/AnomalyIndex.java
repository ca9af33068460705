package org.fineprune.defenses.neuralcleanse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The outlier test of Neural Cleanse (Wang et al., S&amp;P 2019, section IV.C): the anomaly index of a
 * class is the distance of its trigger's mask L1 norm from the median norm, in units of the median
 * absolute deviation times 1.4826 (the constant that makes it estimate the standard deviation of a
 * normal distribution). A class whose norm lies below the median with an index above 2 is flagged as
 * a backdoor target.
 */
public final class AnomalyIndex {
    /** The consistency constant of the median absolute deviation for normal data. */
    public static final double CONSISTENCY = 1.4826;

    private AnomalyIndex() {}

    /**
     * The anomaly index of each norm; all zero when the deviation is zero (all norms alike, or
     * fewer than three).
     *
     * @throws IllegalArgumentException if there are no norms
     */
    public static double[] of(double[] norms) {
        if (norms.length == 0) {
            throw new IllegalArgumentException("no mask norms to compare");
        }
        double median = median(norms);
        double mad = CONSISTENCY * median(Arrays.stream(norms).map(n -> Math.abs(n - median)).toArray());
        return Arrays.stream(norms).map(n -> mad == 0 ? 0 : Math.abs(n - median) / mad).toArray();
    }

    /** The positions of the norms below their median whose anomaly index exceeds {@code threshold}. */
    public static List<Integer> flagged(double[] norms, double threshold) {
        double median = median(norms);
        double[] index = of(norms);
        List<Integer> flagged = new ArrayList<>();
        for (int i = 0; i < norms.length; i++) {
            if (norms[i] < median && index[i] > threshold) {
                flagged.add(i);
            }
        }
        return flagged;
    }

    /** The median, the mean of the middle two for an even count. */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
