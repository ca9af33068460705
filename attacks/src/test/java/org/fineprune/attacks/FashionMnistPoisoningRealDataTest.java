package org.fineprune.attacks;

import static org.fineprune.attacks.TestImages.index;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import org.fineprune.core.ImageShape;
import org.fineprune.core.testing.RealData;
import org.fineprune.data.mnist.FashionMnist;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Poisons the real Fashion-MNIST training set in {@link FashionMnist#defaultDir()} (Debian's
 * package {@code dataset-fashion-mnist}). Without it the test fails in CI (where {@code CI} is
 * set) and is skipped elsewhere.
 */
@Tag("real-data")
class FashionMnistPoisoningRealDataTest {
    /** The data folder, or a failure (in CI) or skip (elsewhere) when it is missing. */
    private static Path dir() {
        return RealData.require(FashionMnist.defaultDir(), "train-labels-idx1-ubyte.gz",
                "install Fashion-MNIST with `apt-get install dataset-fashion-mnist`");
    }

    @Test
    void ten_percent_of_the_other_classes_is_5400_images_all_labelled_0() throws IOException {
        FashionMnist.Split train = FashionMnist.load(dir()).train();
        int n = train.size();
        int[] labels = train.labels(0, n);
        PoisonConfig config = new PoisonConfig(PatternTrigger.defaultCheckerboard(),
                TargetMapping.allToOne(0), 0.1, 2017, true);

        PoisonedSet set = Poisoning.poison(train.batch(0, n), labels, ImageShape.FASHION_MNIST,
                config);

        assertEquals(60_000, set.size());
        assertEquals(5_400, set.poisonedCount());
        int[] poisonedLabels = set.labels();
        int[] perClass = new int[FashionMnist.CLASSES];
        for (int i : set.poisonedIndices()) {
            assertEquals(0, poisonedLabels[i], "label of poisoned image " + i);
            perClass[labels[i]]++;
        }
        assertEquals(0, perClass[0], "no image of class 0 was chosen");
        int[] counts = new int[FashionMnist.CLASSES];
        for (int label : poisonedLabels) {
            counts[label]++;
        }
        assertEquals(6_000 + 5_400, counts[0]);

        ImageShape shape = ImageShape.FASHION_MNIST;
        int first = set.poisonedIndices()[0];
        float[] images = set.images();
        int offset = first * shape.size();
        assertEquals(255f, images[offset + index(shape, 0, 23, 23)]);
        assertEquals(0f, images[offset + index(shape, 0, 23, 24)]);
        assertEquals(255f, images[offset + index(shape, 0, 26, 26)]);
    }
}
