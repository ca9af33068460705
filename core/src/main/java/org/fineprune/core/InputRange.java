package org.fineprune.core;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether the pixel values given to a model fit its input scale. A model takes raw 0..255 pixels
 * and divides them by its scale itself; values outside 0..255, or values already divided by 255
 * (all within 0..1), give near-zero accuracies without any error, so they deserve a warning.
 */
public final class InputRange {
    private InputRange() {}

    /**
     * A one-line warning when {@code count} pixel values from {@code from} do not look like raw
     * 0..255 pixels for a model of input scale {@code scale}, or empty when they do. All-black
     * images (every value 0) pass.
     */
    public static Optional<String> check(float[] pixels, int from, int count, double scale) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = from; i < from + count; i++) {
            min = Math.min(min, pixels[i]);
            max = Math.max(max, pixels[i]);
        }
        String model = "the model takes raw 0..255 pixels and divides them by its input scale "
                + number(scale);
        if (min < 0 || max > 255) {
            return Optional.of("input pixel values range over [" + number(min) + ", " + number(max)
                    + "], outside 0..255; " + model + ", so the results will be wrong");
        }
        if (max > 0 && max <= 1) {
            return Optional.of("input pixel values all lie within [0, 1] (largest " + number(max)
                    + "), as if already divided by 255; " + model
                    + ", so the results will be wrong unless the images really are this dark");
        }
        return Optional.empty();
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.4g", value);
    }
}
