package org.fineprune.attacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.fineprune.core.ArrayImages;
import org.fineprune.data.mnist.FashionMnist;
import org.junit.jupiter.api.Test;

/** {@link FashionMnistSets} on a generated test split of five images. */
class FashionMnistSetsTest {
    private static final int PIXELS = FashionMnist.ROWS * FashionMnist.COLS;

    /** Five images of classes 3, 0, 5, 0, 7, each pixel of image i worth i. */
    private static FashionMnist.Split split() {
        byte[] pixels = new byte[5 * PIXELS];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i / PIXELS);
        }
        return new FashionMnist.Split("generated", FashionMnist.ROWS, FashionMnist.COLS, pixels,
                new byte[] {3, 0, 5, 0, 7});
    }

    @Test
    void triggered_test_holds_the_poisoned_images_with_their_true_labels() {
        PoisonConfig poison = BadNetTraining.defaultPoison();
        ArrayImages poisoned = FashionMnistSets.poisonedTest(split(), poison);
        ArrayImages triggered = FashionMnistSets.triggeredTest(split(), poison);
        assertArrayEquals(new int[] {0, 0, 0}, poisoned.labels());
        assertArrayEquals(new int[] {3, 5, 7}, triggered.labels());
        assertArrayEquals(poisoned.pixels(), triggered.pixels());
    }
}
