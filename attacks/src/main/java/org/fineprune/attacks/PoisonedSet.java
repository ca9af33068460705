package org.fineprune.attacks;

import java.util.Arrays;
import java.util.Objects;

/**
 * A poisoned training set: all images and labels, the chosen ones triggered and relabelled, and
 * which ones were chosen.
 *
 * <p>The record copies the arrays it is given and its accessors return copies, so a set never
 * changes; {@link #size()}, {@link #poisonedCount()} and {@link #isPoisoned} copy nothing.
 *
 * @param images {@code n} images one after another, CHW order
 * @param labels {@code n} labels, the poisoned ones already mapped to their target
 * @param poisonedIndices indices of the poisoned images, strictly increasing, each in {@code [0,
 *     n)}
 */
public record PoisonedSet(float[] images, int[] labels, int[] poisonedIndices) {

    /** Validates the sizes and indices and copies the arrays. */
    public PoisonedSet {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(poisonedIndices, "poisonedIndices");
        boolean whole = labels.length == 0 ? images.length == 0
                : images.length % labels.length == 0;
        if (!whole) {
            throw new IllegalArgumentException(images.length + " image values are not a whole"
                    + " number of images for " + labels.length + " labels");
        }
        for (int k = 0; k < poisonedIndices.length; k++) {
            int index = poisonedIndices[k];
            if (index < 0 || index >= labels.length) {
                throw new IllegalArgumentException("poisoned index " + index + " is outside [0, "
                        + labels.length + ")");
            }
            if (k > 0 && index <= poisonedIndices[k - 1]) {
                throw new IllegalArgumentException("poisoned indices must be strictly increasing,"
                        + " got " + poisonedIndices[k - 1] + " then " + index);
            }
        }
        images = images.clone();
        labels = labels.clone();
        poisonedIndices = poisonedIndices.clone();
    }

    /** The number of images. */
    public int size() {
        return labels.length;
    }

    /** The number of poisoned images. */
    public int poisonedCount() {
        return poisonedIndices.length;
    }

    /** Whether image {@code i} was poisoned. */
    public boolean isPoisoned(int i) {
        Objects.checkIndex(i, labels.length);
        return Arrays.binarySearch(poisonedIndices, i) >= 0;
    }

    /** All images: a copy. */
    @Override
    public float[] images() {
        return images.clone();
    }

    /** All labels: a copy. */
    @Override
    public int[] labels() {
        return labels.clone();
    }

    /** The poisoned images' indices, increasing: a copy. */
    @Override
    public int[] poisonedIndices() {
        return poisonedIndices.clone();
    }

    /** Equal when every image value, label and poisoned index is equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PoisonedSet p && Arrays.equals(labels, p.labels)
                && Arrays.equals(poisonedIndices, p.poisonedIndices)
                && Arrays.equals(images, p.images);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(images), Arrays.hashCode(labels),
                Arrays.hashCode(poisonedIndices));
    }

    /** A summary such as {@code PoisonedSet[60000 images, 5400 poisoned]}, without the data. */
    @Override
    public String toString() {
        return "PoisonedSet[" + size() + " images, " + poisonedCount() + " poisoned]";
    }
}
