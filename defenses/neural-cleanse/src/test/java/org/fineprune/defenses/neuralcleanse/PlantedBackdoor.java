package org.fineprune.defenses.neuralcleanse;

import java.util.SplittableRandom;
import org.fineprune.core.BadNet;
import org.fineprune.core.ImageShape;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.SmallCnn;
import org.fineprune.core.StepListener;
import org.fineprune.core.TrainingConfig;

/**
 * A SmallCnn trained in seconds to have a backdoor: ten classes of generated images (class k is a
 * bright blob in the k-th cell of a 2 x 5 grid, of random size and level, on noise), with a tenth of
 * the training images carrying a white 3x3 square in the bottom-right corner and relabelled {@link
 * #TARGET}.
 */
final class PlantedBackdoor {
    /** The backdoor's target class. */
    static final int TARGET = 7;
    /** The trigger's first row and column (it covers 24..26). */
    static final int TRIGGER_AT = 24;

    private PlantedBackdoor() {}

    /** Clean labelled images: {@code pixels} and {@code labels}. */
    record Images(float[] pixels, int[] labels) {
        int size() {
            return labels.length;
        }
    }

    /** {@code count} clean images, classes in turn, drawn from {@code seed}. */
    static Images clean(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[count * 784];
        int[] labels = new int[count];
        for (int n = 0; n < count; n++) {
            int label = n % 10;
            int cellTop = (label / 5) * 12 + 1;
            int cellLeft = (label % 5) * 5;
            int height = 6 + random.nextInt(5);
            int width = 3 + random.nextInt(3);
            float level = 120 + random.nextInt(136);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    boolean inside = y >= cellTop && y < cellTop + height && x >= cellLeft && x < cellLeft + width;
                    pixels[n * 784 + y * 28 + x] = Math.min(255, (inside ? level : 0) + random.nextInt(40));
                }
            }
            labels[n] = label;
        }
        return new Images(pixels, labels);
    }

    /** A copy of {@code images} with the trigger on every image. */
    static float[] triggered(float[] images) {
        float[] out = images.clone();
        for (int n = 0; n < ImageShape.FASHION_MNIST.count(images); n++) {
            for (int y = TRIGGER_AT; y < TRIGGER_AT + 3; y++) {
                for (int x = TRIGGER_AT; x < TRIGGER_AT + 3; x++) {
                    out[n * 784 + y * 28 + x] = 255;
                }
            }
        }
        return out;
    }

    /** A SmallCnn trained on 2,000 images, 10% of them triggered and labelled {@link #TARGET}. */
    static BadNet train() {
        Images clean = clean(2000, 11);
        float[] pixels = clean.pixels().clone();
        int[] labels = clean.labels().clone();
        float[] poisoned = triggered(pixels);
        // Every tenth image, of each class in turn (image 10 i + i % 10 has class i % 10).
        for (int i = 0; i < 200; i++) {
            int n = 10 * i + i % 10;
            System.arraycopy(poisoned, n * 784, pixels, n * 784, 784);
            labels[n] = TARGET;
        }
        try (BadNet fresh = BadNet.fromWeights(SmallCnn.INSTANCE, SmallCnn.initialWeights(3),
                new ModelOptions(SmallCnn.INPUT_SCALE, "PyTorch", "cpu"))) {
            return fresh.fineTuned(pixels, labels, new TrainingConfig(6, 32, 1e-3, 5, "PyTorch"), StepListener.NONE);
        }
    }
}
