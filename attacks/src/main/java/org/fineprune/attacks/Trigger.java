package org.fineprune.attacks;

import org.fineprune.core.ImageShape;

/**
 * A backdoor trigger: a change stamped on an image that a backdoored network learns to answer
 * with the attacker's class.
 *
 * <p>An implementation must be deterministic (the same image always becomes the same triggered
 * image), and {@link #describe} must name everything that decides its effect, so that two
 * triggers with the same description poison alike: {@link PoisonConfig#hash} relies on it.
 */
public interface Trigger {
    /**
     * Stamps the trigger on one image, in place.
     *
     * @param image one image of {@code shape.size()} raw 0..255 values in CHW order
     * @param shape the image's shape
     * @throws IllegalArgumentException if {@code image} does not hold {@code shape.size()} values
     *     or the trigger does not fit an image of that shape
     */
    void apply(float[] image, ImageShape shape);

    /**
     * A stable text naming the kind of trigger and everything that decides its effect (large
     * arrays as SHA-256 digests), the same on every run and machine.
     */
    String describe();
}
