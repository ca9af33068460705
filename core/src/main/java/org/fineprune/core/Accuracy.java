package org.fineprune.core;

/**
 * How many of a set of images a classifier put in the expected class.
 *
 * @param hits images classified as expected
 * @param total images seen
 */
public record Accuracy(long hits, long total) {
    /** Checks that {@code 0 <= hits <= total}. */
    public Accuracy {
        if (hits < 0 || total < 0 || hits > total) {
            throw new IllegalArgumentException("need 0 <= hits <= total, got " + hits + " of " + total);
        }
    }

    /** How many of {@code predicted} equal the label at the same position. */
    public static Accuracy of(int[] predicted, int[] labels) {
        if (predicted.length != labels.length) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + labels.length + " labels");
        }
        long hits = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == labels[i]) {
                hits++;
            }
        }
        return new Accuracy(hits, predicted.length);
    }

    /** How many of {@code predicted} are {@code value}, for example the GoodNet's flag. */
    public static Accuracy ofClass(int[] predicted, int value) {
        long hits = 0;
        for (int p : predicted) {
            if (p == value) {
                hits++;
            }
        }
        return new Accuracy(hits, predicted.length);
    }

    /** The share of hits in percent, as the lab's eval.py prints it; NaN when there are no images. */
    public double percent() {
        return total == 0 ? Double.NaN : 100.0 * hits / total;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%.2f%% (%d/%d)", percent(), hits, total);
    }
}
