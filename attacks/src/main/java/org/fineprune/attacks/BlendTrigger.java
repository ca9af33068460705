package org.fineprune.attacks;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import org.fineprune.core.ImageShape;

/**
 * The blended trigger of Chen, Liu, Li, Lu and Song ("Targeted Backdoor Attacks on Deep Learning
 * Systems Using Data Poisoning", arXiv:1712.05526, 2017): a whole-image pattern mixed into the
 * image, {@code out = (1 - alpha) * in + alpha * pattern}. A small {@code alpha} (the paper uses
 * 0.2 for training) keeps the trigger hard to see; {@code alpha = 1} replaces the image.
 *
 * @param shape the shape of the images it applies to
 * @param pattern {@code shape.size()} values in {@code [0, 255]}, CHW order
 * @param alpha the blend ratio, {@code 0 < alpha <= 1}
 */
public record BlendTrigger(ImageShape shape, float[] pattern, double alpha) implements Trigger {

    /** Validates the pattern and ratio and copies {@code pattern}. */
    public BlendTrigger {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(pattern, "pattern");
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("blend alpha must be in (0, 1], got " + alpha);
        }
        if (pattern.length != shape.size()) {
            throw new IllegalArgumentException("a blend pattern of shape " + shape + " needs "
                    + shape.size() + " values, got " + pattern.length);
        }
        for (int i = 0; i < pattern.length; i++) {
            if (!(pattern[i] >= 0f && pattern[i] <= 255f)) {
                throw new IllegalArgumentException("blend pattern value " + pattern[i]
                        + " at index " + i + " is outside [0, 255]");
            }
        }
        pattern = pattern.clone();
    }

    /**
     * Chen et al.'s random-noise pattern: every value drawn uniformly from the integers 0..255 by
     * {@code new SplittableRandom(seed)}, in CHW order.
     */
    public static BlendTrigger random(ImageShape shape, double alpha, long seed) {
        Objects.requireNonNull(shape, "shape");
        SplittableRandom random = new SplittableRandom(seed);
        float[] pattern = new float[shape.size()];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = random.nextInt(256);
        }
        return new BlendTrigger(shape, pattern, alpha);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException also if {@code shape} differs from the pattern's
     */
    @Override
    public void apply(float[] image, ImageShape shape) {
        Placement.requireImage(image, shape);
        if (!this.shape.equals(shape)) {
            throw new IllegalArgumentException("a blend pattern of shape " + this.shape
                    + " cannot blend into an image of shape " + shape);
        }
        for (int i = 0; i < image.length; i++) {
            image[i] = (float) ((1 - alpha) * image[i] + alpha * pattern[i]);
        }
    }

    @Override
    public String describe() {
        return "blend(" + shape + ", alpha " + alpha + ", pattern sha256:"
                + Digests.sha256(pattern) + ")";
    }

    /** The pattern, CHW order: a copy. */
    @Override
    public float[] pattern() {
        return pattern.clone();
    }

    /** Equal when shape, ratio and every pattern value are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof BlendTrigger b && shape.equals(b.shape)
                && Double.compare(alpha, b.alpha) == 0 && Arrays.equals(pattern, b.pattern);
    }

    @Override
    public int hashCode() {
        return Objects.hash(shape, alpha, Arrays.hashCode(pattern));
    }

    /** The same text as {@link #describe()}. */
    @Override
    public String toString() {
        return describe();
    }
}
