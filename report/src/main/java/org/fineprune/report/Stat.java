package org.fineprune.report;

import java.util.Collection;
import java.util.function.ToDoubleFunction;

/**
 * Mean and sample standard deviation of one metric over a group's records, {@code NaN}s left out.
 *
 * @param mean the mean, {@code NaN} when no record has the metric
 * @param sd the sample standard deviation (divisor {@code n - 1}); 0 for one value, {@code NaN} for none
 * @param n how many values went in
 */
record Stat(double mean, double sd, int n) {
    /** The statistic of no values. */
    static final Stat NONE = new Stat(Double.NaN, Double.NaN, 0);

    /** The statistic of {@code metric} over {@code records}. */
    static <T> Stat of(Collection<T> records, ToDoubleFunction<T> metric) {
        int n = 0;
        double sum = 0;
        for (T record : records) {
            double value = metric.applyAsDouble(record);
            if (!Double.isNaN(value)) {
                n++;
                sum += value;
            }
        }
        if (n == 0) {
            return NONE;
        }
        double mean = sum / n;
        double squares = 0;
        for (T record : records) {
            double value = metric.applyAsDouble(record);
            if (!Double.isNaN(value)) {
                squares += (value - mean) * (value - mean);
            }
        }
        return new Stat(mean, n > 1 ? Math.sqrt(squares / (n - 1)) : 0, n);
    }
}
