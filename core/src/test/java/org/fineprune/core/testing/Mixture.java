package org.fineprune.core.testing;

import java.io.IOException;
import java.util.Arrays;
import org.fineprune.core.ArrayImages;
import org.fineprune.core.Evaluation;
import org.fineprune.core.ImageShape;
import org.fineprune.core.ImageSource;

/**
 * Clean and poisoned images of one shape in one labelled set, the clean ones first, and which of
 * them are poisoned: a stand-in for a poisoned training set made of the lab's test files.
 *
 * @param images the clean images, then the poisoned ones
 * @param poisoned whether each image is one of the poisoned
 */
public record Mixture(ArrayImages images, boolean[] poisoned) {
    /** Reads {@code clean} and {@code poisoned}, both labelled images of {@code shape}, into one set. */
    public static Mixture of(ImageSource clean, ImageSource poisoned, ImageShape shape) throws IOException {
        float[] cleanPixels = pixels(clean);
        float[] poisonedPixels = pixels(poisoned);
        float[] pixels = Arrays.copyOf(cleanPixels, cleanPixels.length + poisonedPixels.length);
        System.arraycopy(poisonedPixels, 0, pixels, cleanPixels.length, poisonedPixels.length);
        int[] labels = Arrays.copyOf(Evaluation.labels(clean), clean.size() + poisoned.size());
        System.arraycopy(Evaluation.labels(poisoned), 0, labels, clean.size(), poisoned.size());
        boolean[] truth = new boolean[labels.length];
        Arrays.fill(truth, clean.size(), truth.length, true);
        return new Mixture(new ArrayImages(clean.name() + " + " + poisoned.name(), shape, pixels, labels), truth);
    }

    private static float[] pixels(ImageSource images) throws IOException {
        float[][] all = {new float[0]};
        images.forEachBatch(256, batch -> {
            int from = all[0].length;
            all[0] = Arrays.copyOf(all[0], from + batch.pixels().length);
            System.arraycopy(batch.pixels(), 0, all[0], from, batch.pixels().length);
        });
        return all[0];
    }
}
