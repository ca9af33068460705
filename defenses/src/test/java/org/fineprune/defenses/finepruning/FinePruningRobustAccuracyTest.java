package org.fineprune.defenses.finepruning;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.SplittableRandom;
import org.fineprune.core.Accuracy;
import org.fineprune.core.ArrayImages;
import org.fineprune.core.BadNet;
import org.fineprune.core.Evaluation;
import org.fineprune.core.ImageShape;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.SmallCnn;
import org.fineprune.core.TrainingConfig;
import org.fineprune.core.testing.SmallCnnWeights;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The robust accuracy of {@link FinePruning#compare} on a {@link SmallCnn} with random weights and
 * generated images: counted against the true labels where they are given, left over no images where not.
 */
class FinePruningRobustAccuracyTest {
    private static final ModelOptions OPTIONS = new ModelOptions(SmallCnn.INPUT_SCALE, "PyTorch", "cpu");
    private static final ComparisonConfig CONFIG = ComparisonConfig.defaults().drop(4)
            .fineTuning(new TrainingConfig(1, 32, 1e-3, 7, "PyTorch")).batchSize(32);
    private static final int TRIGGERED = 40;

    private static BadNet net;
    private static ArrayImages valid;
    private static ArrayImages clean;
    private static ArrayImages poisoned;

    @BeforeAll
    static void generate() {
        net = BadNet.fromWeights(SmallCnn.INSTANCE, SmallCnnWeights.random(4), OPTIONS);
        valid = images("generated-valid", 64, 1, null);
        clean = images("generated-clean", 32, 2, null);
        poisoned = images("generated-poisoned", TRIGGERED, 3, new int[TRIGGERED]);
    }

    @AfterAll
    static void close() {
        if (net != null) {
            net.close();
        }
    }

    @Test
    void robust_accuracy_counts_triggered_images_given_their_true_label() throws IOException {
        // True labels that B answers for the even images and misses for the odd ones: B's robust accuracy is 50%.
        int[] answers = Evaluation.classes(net, poisoned, CONFIG.batchSize());
        int[] truth = new int[TRIGGERED];
        for (int i = 0; i < TRIGGERED; i++) {
            truth[i] = i % 2 == 0 ? answers[i] : (answers[i] + 1) % SmallCnn.INSTANCE.classes();
        }
        ArrayImages triggered = new ArrayImages("generated-triggered", ImageShape.FASHION_MNIST, poisoned.pixels(), truth);

        ComparisonReport report = FinePruning.compare(net, new DefenseData(valid, clean, poisoned, triggered), CONFIG,
                Phases.NONE);

        assertEquals(new Accuracy(TRIGGERED / 2, TRIGGERED), report.originalRobust());
        for (VariantResult v : report.variants()) {
            assertEquals(TRIGGERED, v.robust().total(), v.variant().label());
        }
    }

    @Test
    void each_repaired_model_is_scored_on_its_own_answers() throws IOException {
        // Labelled with the attack's targets, the triggered set is the poisoned set: robust accuracy = attack success.
        ComparisonReport report = FinePruning.compare(net, new DefenseData(valid, clean, poisoned, poisoned), CONFIG,
                Phases.NONE);

        assertEquals(report.original().attack(), report.originalRobust());
        for (VariantResult v : report.variants()) {
            assertEquals(v.repaired().attack(), v.robust(), v.variant().label());
        }
    }

    @Test
    void without_true_labels_robust_accuracy_is_over_no_images() throws IOException {
        ComparisonReport report = FinePruning.compare(net, new DefenseData(valid, clean, poisoned), CONFIG, Phases.NONE);

        assertEquals(new Accuracy(0, 0), report.originalRobust());
        for (VariantResult v : report.variants()) {
            assertEquals(new Accuracy(0, 0), v.robust(), v.variant().label());
        }
    }

    /** {@code count} random images labelled {@code labels}, or by their index mod 10 when null. */
    private static ArrayImages images(String name, int count, long seed, int[] labels) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[count * 28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextInt(256);
        }
        int[] chosen = labels != null ? labels : java.util.stream.IntStream.range(0, count).map(i -> i % 10).toArray();
        return new ArrayImages(name, ImageShape.FASHION_MNIST, pixels, chosen);
    }
}
