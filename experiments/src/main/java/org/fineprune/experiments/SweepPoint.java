package org.fineprune.experiments;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * One combination of axis values of a sweep.
 *
 * @param drop accuracy-drop threshold in percentage points
 * @param layer the pruned convolution
 * @param engine the DJL engine
 * @param seed the recorded seed
 */
public record SweepPoint(double drop, String layer, String engine, long seed) {
    /** The point's identity in {@code results.jsonl}: axis=value pairs sorted by axis name. */
    public String key() {
        return String.format(Locale.ROOT, "drop=%s,engine=%s,layer=%s,seed=%d", number(drop), engine, layer, seed);
    }

    /** Whether {@code other} differs from this point only in its drop threshold (so one pass serves both). */
    boolean sharesPassWith(SweepPoint other) {
        return layer.equals(other.layer) && engine.equals(other.engine) && seed == other.seed;
    }

    /** A number as written in keys, file names and reports: no trailing {@code .0} ({@code 2}, {@code 2.5}). */
    public static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        String plain = BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
        return plain.equals("-0") ? "0" : plain;
    }
}
