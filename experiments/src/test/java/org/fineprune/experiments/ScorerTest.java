package org.fineprune.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.fineprune.core.Accuracy;
import org.fineprune.core.ArrayImages;
import org.fineprune.core.BadNet;
import org.fineprune.core.Classifier;
import org.fineprune.core.Evaluation;
import org.fineprune.core.GoodNet;
import org.fineprune.core.ImageBatch;
import org.fineprune.core.ImageShape;
import org.fineprune.core.LayerChannel;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.SmallCnn;
import org.fineprune.core.SuspicionScores;
import org.fineprune.core.testing.SmallCnnWeights;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.DefenseResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one scorer, on a {@link SmallCnn} with random weights and generated images: robust accuracy
 * against true labels where they are given and {@code null} where not, a GoodNet scored from the two
 * models' answers exactly as when run as a classifier, and the attack curve along a pruning order
 * equal to pruning the BadNet step by step.
 */
class ScorerTest {
    private static final int TRIGGERED = 40;
    private static final int BATCH = 16;

    private static BadNet net;
    private static ArrayImages valid;
    private static ArrayImages clean;
    private static ArrayImages poisoned;

    @BeforeAll
    static void generate() {
        net = BadNet.fromWeights(SmallCnn.INSTANCE, SmallCnnWeights.random(4),
                new ModelOptions(SmallCnn.INPUT_SCALE, "PyTorch", "cpu"));
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

    private static Bench bench(ArrayImages triggered) {
        return new Bench(net, Map.of(), new DefenderData(valid), clean, poisoned, triggered);
    }

    @Test
    void robust_accuracy_counts_triggered_images_given_their_true_label() throws IOException {
        // True labels that B answers for the even images and misses for the odd ones: B's robust accuracy is 50%.
        int[] answers = Evaluation.classes(net, poisoned, BATCH);
        int[] truth = new int[TRIGGERED];
        for (int i = 0; i < TRIGGERED; i++) {
            truth[i] = i % 2 == 0 ? answers[i] : (answers[i] + 1) % SmallCnn.INSTANCE.classes();
        }
        ArrayImages triggered = new ArrayImages("generated-triggered", ImageShape.FASHION_MNIST, poisoned.pixels(), truth);
        Scorer scorer = new Scorer(bench(triggered), BATCH);

        assertEquals(50.0, scorer.badNet().robustAccuracy());
        try (BadNet pruned = net.pruned("conv_2", new int[] {0, 1, 2, 3})) {
            Scorer.Scored scored = scorer.score(new DefenseResult(pruned, null, Map.of()));
            PointRecord.Metrics metrics = scored.metrics();
            assertNull(scored.detectorSecondsPer1000(), "no detector, no detector time");
            assertEquals(Accuracy.of(Evaluation.classes(pruned, triggered, BATCH), truth).percent(),
                    metrics.repaired().robustAccuracy());
            assertNull(metrics.detector());
        }
    }

    @Test
    void a_triggered_set_labelled_with_the_target_gives_the_attack_success_rate() throws IOException {
        Scorer scorer = new Scorer(bench(poisoned), BATCH);

        assertEquals(scorer.badNet().attackSuccessRate(), scorer.badNet().robustAccuracy());
    }

    @Test
    void without_true_labels_robust_accuracy_is_null() throws IOException {
        Scorer scorer = new Scorer(bench(null), BATCH);

        assertNull(scorer.badNet().robustAccuracy());
        assertEquals(Evaluation.accuracy(net, valid, BATCH).percent(), scorer.badNet().validAccuracy());
        assertEquals(Evaluation.accuracy(net, clean, BATCH).percent(), scorer.badNet().cleanAccuracy());
    }

    @Test
    void a_goodnet_is_scored_from_the_two_answers_exactly_as_run_as_a_classifier() throws IOException {
        Scorer scorer = new Scorer(bench(null), BATCH);
        try (BadNet pruned = net.pruned("conv_2", new int[] {5, 6, 7, 8, 9, 10})) {
            GoodNet goodNet = new GoodNet(net, pruned);
            Classifier opaque = goodNet::classify; // not a GoodNet: run as any detector
            Scorer.Scored shortcutScored = scorer.score(new DefenseResult(pruned, goodNet, Map.of()));
            PointRecord.Metrics shortcut = shortcutScored.metrics();
            PointRecord.Metrics generic = scorer.score(new DefenseResult(pruned, opaque, Map.of())).metrics();
            assertTrue(shortcutScored.detectorSecondsPer1000() > 0, "the GoodNet's time: its two models'");

            assertEquals(generic.detector(), shortcut.detector());
            int[] flagged = Evaluation.classes(goodNet, poisoned, BATCH);
            assertEquals(Accuracy.ofClass(flagged, SmallCnn.INSTANCE.classes()).percent(),
                    shortcut.detector().poisonedFlagged());
            assertEquals((shortcut.detector().poisonedFlagged() + 100 - shortcut.detector().cleanFlagged()) / 200,
                    shortcut.detector().auroc(), 1e-12, "a detector without scores: (TPR + TNR) / 2");
        }
    }

    @Test
    void a_detector_with_suspicion_scores_gets_the_auroc_of_its_scores_and_its_time() throws IOException {
        Scorer scorer = new Scorer(bench(null), BATCH);
        // Hand-made scores: clean image i scores i % 4, poisoned image j scores 2 + j % 3; no image is flagged.
        Map<Integer, Double> scores = new HashMap<>();
        for (int i = 0; i < clean.size(); i++) {
            scores.put(imageKey(clean.pixels(), i), (double) (i % 4));
        }
        for (int j = 0; j < poisoned.size(); j++) {
            scores.put(imageKey(poisoned.pixels(), j), 2.0 + j % 3);
        }
        class Scoring implements Classifier, SuspicionScores {
            @Override
            public int[] classify(ImageBatch batch) {
                return net.classify(batch);
            }

            @Override
            public double[] suspicion(ImageBatch batch) {
                return IntStream.range(0, batch.size()).mapToDouble(i -> scores.get(imageKey(batch.pixels(), i)))
                        .toArray();
            }
        }
        double wins = 0;
        for (int j = 0; j < poisoned.size(); j++) {
            for (int i = 0; i < clean.size(); i++) {
                double p = 2.0 + j % 3;
                double c = i % 4;
                wins += p > c ? 1 : p == c ? 0.5 : 0;
            }
        }

        Scorer.Scored scored = scorer.score(new DefenseResult(null, new Scoring(), Map.of()));

        assertEquals(0.0, scored.metrics().detector().poisonedFlagged());
        assertEquals(wins / (poisoned.size() * clean.size()), scored.metrics().detector().auroc(), 1e-12,
                "from the scores, not from the flags (0.5)");
        assertTrue(scored.detectorSecondsPer1000() > 0);
    }

    /** A key of image {@code i} of {@code pixels}: its values' hash. */
    private static int imageKey(float[] pixels, int i) {
        int values = ImageShape.FASHION_MNIST.size();
        return Arrays.hashCode(Arrays.copyOfRange(pixels, i * values, (i + 1) * values));
    }

    @Test
    void the_attack_curve_is_the_attack_success_rate_of_the_badnet_pruned_step_by_step() throws IOException {
        Scorer scorer = new Scorer(bench(null), BATCH);
        List<LayerChannel> order = List.of(new LayerChannel("conv_1", 3), new LayerChannel("conv_2", 7),
                new LayerChannel("conv_2", 1), new LayerChannel("conv_1", 0));

        PointRecord.PruningSteps steps = scorer.pruningSteps(order);

        assertEquals(order, steps.order());
        assertEquals(order.size(), steps.attackSuccessRates().size());
        int[][] conv1 = {{3}, {3}, {3}, {3, 0}};
        int[][] conv2 = {{}, {7}, {7, 1}, {7, 1}};
        for (int k = 0; k < order.size(); k++) {
            try (BadNet pruned = net.pruned(Map.of("conv_1", conv1[k], "conv_2", conv2[k]))) {
                assertEquals(Evaluation.accuracy(pruned, poisoned, BATCH).percent(), steps.attackSuccessRates().get(k),
                        1e-9, "step " + (k + 1));
            }
        }
    }

    @Test
    void a_long_order_is_scored_at_evenly_spaced_steps_and_its_last() throws IOException {
        Scorer scorer = new Scorer(bench(null), BATCH);
        List<LayerChannel> order = List.of(new LayerChannel("conv_1", 3), new LayerChannel("conv_2", 7),
                new LayerChannel("conv_2", 1), new LayerChannel("conv_1", 0), new LayerChannel("conv_2", 4));

        PointRecord.PruningSteps steps = scorer.pruningSteps(order, 2);
        PointRecord.PruningSteps every = scorer.pruningSteps(order);

        List<Double> all = every.attackSuccessRates();
        assertEquals(5, all.stream().filter(Objects::nonNull).count());
        assertEquals(Arrays.asList(null, null, all.get(2), null, all.get(4)), steps.attackSuccessRates());
        assertEquals(order, steps.order());
    }

    /** {@code count} random images labelled {@code labels}, or by their index mod 10 when null. */
    private static ArrayImages images(String name, int count, long seed, int[] labels) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[count * 28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextInt(256);
        }
        int[] chosen = labels != null ? labels : IntStream.range(0, count).map(i -> i % 10).toArray();
        return new ArrayImages(name, ImageShape.FASHION_MNIST, pixels, chosen);
    }
}
