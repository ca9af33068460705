package org.fineprune.defenses.neuralcleanse;

import java.util.Arrays;
import org.fineprune.core.ImageShape;

/**
 * A trigger reverse-engineered for one target class: a mask m in [0, 1] over the image plane and a
 * pattern p of raw pixel values (0..255) per channel; stamped, an image x becomes (1 - m) x + m p.
 *
 * @param target the class the trigger leads to
 * @param shape the shape of the images it is stamped on
 * @param mask {@code shape.planeSize()} values in [0, 1], row after row
 * @param pattern {@code shape.size()} raw pixel values, channel-major (CHW)
 * @param norm the mask's L1 norm, the sum of its values
 * @param attackSuccess the share of the search images the stamped trigger sent to {@code target}
 *     in the epoch the trigger was taken from
 * @param epochs the epochs the search ran before it stopped
 */
public record ReversedTrigger(int target, ImageShape shape, float[] mask, float[] pattern, double norm,
        double attackSuccess, int epochs) {
    /** Checks the sizes of the mask and the pattern. */
    public ReversedTrigger {
        if (mask.length != shape.planeSize() || pattern.length != shape.size()) {
            throw new IllegalArgumentException("a trigger for " + shape + " images needs " + shape.planeSize()
                    + " mask and " + shape.size() + " pattern values, got " + mask.length + " and " + pattern.length);
        }
    }

    /** Stamps the trigger on image {@code image} of {@code pixels} (raw values, NCHW), in place. */
    public void stamp(float[] pixels, int image) {
        int plane = shape.planeSize();
        int offset = image * shape.size();
        for (int c = 0; c < shape.channels(); c++) {
            for (int i = 0; i < plane; i++) {
                int at = offset + c * plane + i;
                pixels[at] = (1 - mask[i]) * pixels[at] + mask[i] * pattern[c * plane + i];
            }
        }
    }

    /** The trigger as it shows on a black image, m p, channel-major. */
    public float[] masked() {
        float[] out = new float[pattern.length];
        stamp(out, 0);
        return out;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ReversedTrigger t && t.target == target && t.shape.equals(shape)
                && Arrays.equals(t.mask, mask) && Arrays.equals(t.pattern, pattern) && t.norm == norm
                && t.attackSuccess == attackSuccess && t.epochs == epochs;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * target + Arrays.hashCode(mask)) + Arrays.hashCode(pattern);
    }

    @Override
    public String toString() {
        return "ReversedTrigger[target " + target + ", norm " + norm + ", attack success " + attackSuccess + ", "
                + epochs + " epochs]";
    }
}
