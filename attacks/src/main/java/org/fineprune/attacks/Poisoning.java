package org.fineprune.attacks;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.fineprune.core.ImageShape;

/**
 * Poisons a training set as BadNets does (Gu, Dolan-Gavitt and Garg, 2017): a seeded share of the
 * images gets the trigger and the attacker's label. Also makes the triggered test sets on which
 * the attack success rate is measured.
 *
 * <p>Images are flat float arrays of raw 0..255 values, one {@link ImageShape} image after
 * another in CHW order (so an NCHW batch). Every method returns new arrays and leaves its
 * arguments as they were.
 */
public final class Poisoning {
    private Poisoning() {}

    /**
     * Poisons {@code round(rate * eligible)} distinct images, chosen by {@code new
     * SplittableRandom(config.seed())} among the eligible ones (all images, or with {@code
     * excludeTarget} those not already of the target class): each gets the trigger and the
     * mapping's label. The same arguments always give the same result.
     *
     * @param images {@code labels.length} images of {@code shape}, one after another
     * @param labels the true labels
     * @throws IllegalArgumentException if the images are not {@code labels.length} images of
     *     {@code shape}, a label is not valid for the mapping (the message names its index), or the
     *     trigger does not fit the shape
     */
    public static PoisonedSet poison(float[] images, int[] labels, ImageShape shape,
            PoisonConfig config) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(config, "config");
        if (shape.count(images) != labels.length) {
            throw new IllegalArgumentException(shape.count(images) + " images of " + shape
                    + " but " + labels.length + " labels");
        }
        TargetMapping mapping = config.mapping();
        int[] targets = new int[labels.length];
        int[] eligible = new int[labels.length];
        int eligibleCount = 0;
        for (int i = 0; i < labels.length; i++) {
            try {
                targets[i] = mapping.target(labels[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("label at index " + i + ": " + e.getMessage(),
                        e);
            }
            if (!(config.excludeTarget() && targets[i] == labels[i])) {
                eligible[eligibleCount++] = i;
            }
        }
        int chosenCount = (int) Math.round(config.rate() * eligibleCount);
        // A partial Fisher-Yates shuffle: the first chosenCount slots end up a uniform sample.
        SplittableRandom random = new SplittableRandom(config.seed());
        for (int k = 0; k < chosenCount; k++) {
            int j = k + random.nextInt(eligibleCount - k);
            int swap = eligible[k];
            eligible[k] = eligible[j];
            eligible[j] = swap;
        }
        int[] chosen = Arrays.copyOf(eligible, chosenCount);
        Arrays.sort(chosen);

        float[] poisonedImages = images.clone();
        int[] poisonedLabels = labels.clone();
        float[] scratch = new float[shape.size()];
        for (int i : chosen) {
            applyAt(poisonedImages, i, shape, config.trigger(), scratch);
            poisonedLabels[i] = targets[i];
        }
        return new PoisonedSet(poisonedImages, poisonedLabels, chosen);
    }

    /**
     * A copy of {@code images} with the trigger on every image: a poisoned test set. For the attack
     * success rate, trigger only the images whose true label is not the target (see {@link
     * #indicesNotOfClass} and {@link #select}).
     *
     * @throws IllegalArgumentException if {@code images} is not a whole number of images of {@code
     *     shape}, or the trigger does not fit the shape
     */
    public static float[] triggerAll(float[] images, ImageShape shape, Trigger trigger) {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(trigger, "trigger");
        int count = shape.count(images);
        float[] out = images.clone();
        float[] scratch = new float[shape.size()];
        for (int i = 0; i < count; i++) {
            applyAt(out, i, shape, trigger, scratch);
        }
        return out;
    }

    /**
     * The indices, increasing, of the labels that are not {@code target}: the test images on which
     * an all-to-one attack's success rate is measured (an image already of the target class says
     * nothing about the backdoor).
     */
    public static int[] indicesNotOfClass(int[] labels, int target) {
        Objects.requireNonNull(labels, "labels");
        return IntStream.range(0, labels.length)
                .filter(i -> labels[i] != target).toArray();
    }

    /**
     * The images at {@code indices}, in that order, copied into a new array.
     *
     * @throws IllegalArgumentException if {@code images} is not a whole number of images of {@code
     *     shape}
     * @throws IndexOutOfBoundsException if an index is outside the images
     */
    public static float[] select(float[] images, ImageShape shape, int[] indices) {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(indices, "indices");
        int count = shape.count(images);
        int size = shape.size();
        float[] out = new float[Math.multiplyExact(indices.length, size)];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(images, Objects.checkIndex(indices[k], count) * size, out, k * size,
                    size);
        }
        return out;
    }

    /** Applies {@code trigger} to image {@code index} of {@code images}, through {@code scratch}. */
    private static void applyAt(float[] images, int index, ImageShape shape, Trigger trigger,
            float[] scratch) {
        int offset = index * shape.size();
        System.arraycopy(images, offset, scratch, 0, scratch.length);
        trigger.apply(scratch, shape);
        System.arraycopy(scratch, 0, images, offset, scratch.length);
    }
}
