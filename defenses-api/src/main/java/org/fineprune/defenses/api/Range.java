package org.fineprune.defenses.api;

import java.util.Locale;

/**
 * The numbers a parameter allows, such as (0, 100) or [1, ∞).
 *
 * @param min the lower bound ({@code Double.NEGATIVE_INFINITY} for none)
 * @param minIncluded whether {@code min} itself is allowed
 * @param max the upper bound ({@code Double.POSITIVE_INFINITY} for none)
 * @param maxIncluded whether {@code max} itself is allowed
 */
public record Range(double min, boolean minIncluded, double max, boolean maxIncluded) {
    /** Any number. */
    public static final Range ANY = new Range(Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false);

    /** Checks that the bounds are ordered and not NaN. */
    public Range {
        if (!(min <= max)) {
            throw new IllegalArgumentException("range bounds " + min + " and " + max + " are not ordered");
        }
    }

    /** [{@code min}, ∞). */
    public static Range atLeast(double min) {
        return new Range(min, true, Double.POSITIVE_INFINITY, false);
    }

    /** ({@code min}, ∞). */
    public static Range above(double min) {
        return new Range(min, false, Double.POSITIVE_INFINITY, false);
    }

    /** ({@code min}, {@code max}). */
    public static Range open(double min, double max) {
        return new Range(min, false, max, false);
    }

    /** ({@code min}, {@code max}]. */
    public static Range openClosed(double min, double max) {
        return new Range(min, false, max, true);
    }

    /** Whether {@code value} lies in the range (NaN never does). */
    public boolean contains(double value) {
        return (minIncluded ? value >= min : value > min) && (maxIncluded ? value <= max : value < max);
    }

    @Override
    public String toString() {
        return (minIncluded ? "[" : "(") + bound(min) + ", " + bound(max) + (maxIncluded ? "]" : ")");
    }

    private static String bound(double value) {
        if (Double.isInfinite(value)) {
            return value > 0 ? "∞" : "-∞";
        }
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%d", (long) value) : Double.toString(value);
    }
}
