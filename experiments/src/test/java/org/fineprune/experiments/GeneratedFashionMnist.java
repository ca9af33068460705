package org.fineprune.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fineprune.core.KerasWeightsWriter;
import org.fineprune.core.testing.SmallCnnWeights;
import org.fineprune.data.testing.FashionMnistFolderFixture;

/**
 * A generated Fashion-MNIST folder (200 training and 40 test images) with a random small CNN cached
 * as the default BadNet of one seed, so that a sweep on it trains nothing.
 */
final class GeneratedFashionMnist {
    private GeneratedFashionMnist() {}

    /** Writes {@code dir/fashion} and {@code dir/cache} and returns the subject on them. */
    static FashionMnistSubject write(Path dir, long seed) throws IOException {
        FashionMnistFolderFixture.write(dir.resolve("fashion"), 200, 40);
        FashionMnistSubject subject = FashionMnistSubject.of(dir.resolve("fashion"), dir.resolve("cache"));
        Path weights = subject.recipe(seed).weightsFile(dir.resolve("cache"));
        Files.createDirectories(weights.getParent());
        KerasWeightsWriter.write(weights, SmallCnnWeights.random(3), KerasWeightsWriter.Layout.WEIGHTS_ONLY);
        return subject;
    }
}
