package org.fineprune.defenses.strip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.fineprune.core.ArrayImages;
import org.fineprune.core.Auroc;
import org.fineprune.core.BadNet;
import org.fineprune.core.ImageBatch;
import org.fineprune.core.ImageShape;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.SmallCnn;
import org.fineprune.core.StepListener;
import org.fineprune.core.TrainingConfig;
import org.fineprune.core.testing.SmallCnnWeights;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Defenses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * STRIP on a {@link SmallCnn} trained in the test on generated images (the class is the quadrant of
 * a bright square) of which a tenth carry a planted checkerboard trigger and the target label 0.
 */
class StripTest {
    private static final ModelOptions OPTIONS = new ModelOptions(SmallCnn.INPUT_SCALE, "PyTorch", "cpu");
    private static final int TARGET = 0;

    private static BadNet badNet;
    private static ArrayImages valid;
    private static Defense strip;

    @BeforeAll
    static void trainABadNet() {
        strip = Defenses.find("strip");
        ArrayImages training = images("generated-training", 800, 1, 10);
        try (BadNet random = BadNet.fromWeights(SmallCnn.INSTANCE, SmallCnnWeights.random(4), OPTIONS)) {
            badNet = random.fineTuned(training.pixels(), training.labels(),
                    new TrainingConfig(4, 32, 3e-3, 7, "PyTorch"), StepListener.NONE);
        }
        valid = images("generated-valid", 120, 2, 0);
    }

    @AfterAll
    static void close() {
        if (badNet != null) {
            badNet.close();
        }
    }

    @Test
    void the_registry_finds_it_and_it_makes_a_detector_only() throws IOException {
        assertInstanceOf(Strip.class, strip);
        try (DefenseResult result = strip.apply(badNet, new DefenderData(valid),
                strip.settings(Map.of("overlays", 8)), 1)) {
            assertNull(result.repaired());
            assertInstanceOf(StripDetector.class, result.detector());
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.05, 0.1, 0.25})
    void the_threshold_flags_the_chosen_share_of_its_own_clean_images(double rate) throws IOException {
        try (DefenseResult result = strip.apply(badNet, new DefenderData(valid),
                strip.settings(Map.of("overlays", 4, "false-rejection-rate", rate)), 3)) {
            long expected = (long) Math.floor(rate * valid.size());
            assertEquals(valid.size(), result.diagnostics().get("validImages"));
            assertEquals(expected, (long) result.diagnostics().get("validFlagged"), result.diagnostics().toString());
            // The detector superimposes a clean image that is no overlay exactly as the calibration did.
            @SuppressWarnings("unchecked")
            Set<Integer> overlays = Set.copyOf((List<Integer>) result.diagnostics().get("overlayImages"));
            int[] classes = result.detector().classify(batch(valid));
            long flagged = java.util.stream.IntStream.range(0, valid.size())
                    .filter(i -> classes[i] == SmallCnn.CLASSES).count();
            long flaggedOthers = java.util.stream.IntStream.range(0, valid.size())
                    .filter(i -> !overlays.contains(i) && classes[i] == SmallCnn.CLASSES).count();
            assertTrue(flaggedOthers <= expected && flaggedOthers >= expected - overlays.size(),
                    flaggedOthers + " flagged of the clean images that are no overlay, " + expected + " expected");
            assertTrue(Math.abs(flagged - expected) <= overlays.size(), flagged + " flagged, " + expected + " expected");
        }
    }

    @Test
    void with_held_out_selection_images_the_overlays_come_from_the_clean_images_and_the_threshold_from_the_others()
            throws IOException {
        ArrayImages selection = images("generated-selection", 60, 9, 0);
        double rate = 0.1;
        try (DefenseResult result = strip.apply(badNet, new DefenderData(valid, selection, null),
                strip.settings(Map.of("overlays", 4, "false-rejection-rate", rate)), 3);
                DefenseResult lab = strip.apply(badNet, new DefenderData(valid),
                        strip.settings(Map.of("overlays", 4, "false-rejection-rate", rate)), 3)) {
            assertEquals(selection.size(), result.diagnostics().get("validImages"));
            assertEquals(lab.diagnostics().get("overlayImages"), result.diagnostics().get("overlayImages"),
                    "drawn from the clean images with the same seed");
            // Every selection image is superimposed with the first n overlays, as the detector does it.
            long flagged = Arrays.stream(result.detector().classify(batch(selection)))
                    .filter(c -> c == SmallCnn.CLASSES).count();
            assertEquals((long) Math.floor(rate * selection.size()), flagged);
            assertEquals(flagged, (long) result.diagnostics().get("validFlagged"));
        }
    }

    @Test
    void the_threshold_is_the_entropy_that_the_chosen_share_lies_below() {
        double[] entropies = new SplittableRandom(5).doubles(40, 0, 3).toArray();
        for (double rate : new double[] {0.01, 0.05, 0.1, 0.5, 0.99}) {
            double threshold = Strip.threshold(entropies, rate);
            assertEquals((long) Math.floor(rate * 40), Arrays.stream(entropies).filter(e -> e < threshold).count());
        }
    }

    @Test
    void a_planted_trigger_is_flagged_more_than_clean_inputs() throws IOException {
        ArrayImages clean = images("generated-clean", 50, 3, 0);
        ArrayImages triggered = images("generated-triggered", 50, 4, 1);
        try (DefenseResult result = strip.apply(badNet, new DefenderData(valid),
                strip.settings(Map.of("overlays", 16)), 1)) {
            StripDetector detector = (StripDetector) result.detector();
            int[] backdoored = badNet.classify(batch(triggered));
            assertTrue(Arrays.stream(backdoored).filter(c -> c == TARGET).count() > 45, "the trigger is planted");
            double cleanFlagged = flaggedShare(detector, clean);
            double triggeredFlagged = flaggedShare(detector, triggered);
            double auroc = Auroc.of(detector.suspicion(batch(triggered)), detector.suspicion(batch(clean)));
            System.out.printf("STRIP on the generated BadNet: flagged %.2f of triggered, %.2f of clean, AUROC %.3f%n",
                    triggeredFlagged, cleanFlagged, auroc);
            // At blend 0.5 the trigger is at half strength, which this small net half ignores: about a
            // quarter of the triggered images are flagged (none of the clean) and the AUROC is about 0.75.
            assertTrue(triggeredFlagged >= cleanFlagged + 0.1, triggeredFlagged + " vs " + cleanFlagged);
            assertTrue(auroc > 0.65, "AUROC " + auroc);
        }
    }

    @Test
    void the_same_seed_gives_the_same_detector_and_another_seed_other_overlays() throws IOException {
        ArrayImages inputs = images("generated-inputs", 20, 6, 2);
        Map<String, Object> settings = Map.of("overlays", 8);
        try (DefenseResult first = strip.apply(badNet, new DefenderData(valid), strip.settings(settings), 1);
                DefenseResult again = strip.apply(badNet, new DefenderData(valid), strip.settings(settings), 1);
                DefenseResult other = strip.apply(badNet, new DefenderData(valid), strip.settings(settings), 2)) {
            assertEquals(first.diagnostics(), again.diagnostics());
            assertArrayEquals(((StripDetector) first.detector()).suspicion(batch(inputs)),
                    ((StripDetector) again.detector()).suspicion(batch(inputs)));
            assertNotEquals(first.diagnostics().get("overlayImages"), other.diagnostics().get("overlayImages"));
        }
    }

    @Test
    void an_input_gets_the_same_answer_in_any_batch() throws IOException {
        // 40 overlays: 6 inputs a forward pass, so that the 8 inputs take two.
        ArrayImages inputs = images("generated-inputs", 8, 7, 3);
        try (DefenseResult result = strip.apply(badNet, new DefenderData(images("generated-few", 50, 8, 0)),
                strip.settings(Map.of("overlays", 40)), 1)) {
            StripDetector detector = (StripDetector) result.detector();
            double[] together = detector.suspicion(batch(inputs));
            int values = ImageShape.FASHION_MNIST.size();
            for (int i = 0; i < inputs.size(); i++) {
                float[] one = Arrays.copyOfRange(inputs.pixels(), i * values, (i + 1) * values);
                assertEquals(together[i], detector.suspicion(new ImageBatch(one, null, 1))[0], 1e-6, "image " + i);
            }
        }
    }

    @Test
    void too_few_clean_images_for_the_overlays_are_refused_naming_both() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> strip.apply(badNet,
                new DefenderData(valid), strip.settings(Map.of("overlays", 120)), 1));
        assertEquals("defense 'strip': 120 overlays need at least 121 clean images, generated-valid has 120",
                e.getMessage());
    }

    private static double flaggedShare(StripDetector detector, ArrayImages images) {
        return Arrays.stream(detector.classify(batch(images))).filter(c -> c == SmallCnn.CLASSES).count()
                / (double) images.size();
    }

    private static ImageBatch batch(ArrayImages images) {
        return new ImageBatch(images.pixels(), images.labels(), images.size());
    }

    /**
     * {@code count} 1x28x28 images, each a bright 8x8 square with noise on a dark background,
     * labelled with the quadrant (0 to 3) its centre lies in; one in {@code poisonEvery} (none for 0)
     * carries a 6x6 checkerboard in the top left corner and the label {@link #TARGET}.
     */
    private static ArrayImages images(String name, int count, long seed, int poisonEvery) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[count * 28 * 28];
        int[] labels = new int[count];
        for (int n = 0; n < count; n++) {
            int quadrant = random.nextInt(4);
            int top = (quadrant / 2) * 14 + random.nextInt(7);
            int left = (quadrant % 2) * 14 + random.nextInt(7);
            boolean poisoned = poisonEvery > 0 && n % poisonEvery == 0;
            labels[n] = poisoned ? TARGET : quadrant;
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    boolean inside = y >= top && y < top + 8 && x >= left && x < left + 8;
                    float value = (inside ? 180 : 0) + random.nextInt(60);
                    if (poisoned && y < 6 && x < 6) {
                        value = (x + y) % 2 == 0 ? 255 : 0;
                    }
                    pixels[n * 784 + y * 28 + x] = value;
                }
            }
        }
        return new ArrayImages(name, ImageShape.FASHION_MNIST, pixels, labels);
    }
}
