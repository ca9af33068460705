package org.fineprune.defenses.clp;

import java.util.stream.IntStream;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;

/**
 * The channels of one layer whose bound lies above {@code mean + u x std} of the layer's bounds,
 * the standard deviation bias-corrected (over n - 1) as the reference code's {@code torch.std}.
 *
 * @param threshold the mean plus u standard deviations
 * @param channels the channels whose bound is strictly above it, in channel order
 */
public record Outliers(double threshold, int[] channels) {
    /** The outliers among {@code bounds}, one per channel. */
    public static Outliers of(double[] bounds, double u) {
        double threshold = StatUtils.mean(bounds) + u * new StandardDeviation().evaluate(bounds);
        return new Outliers(threshold, IntStream.range(0, bounds.length).filter(c -> bounds[c] > threshold).toArray());
    }
}
