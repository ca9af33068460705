package org.fineprune.defenses.neuralcleanse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.fineprune.core.Accuracy;
import org.fineprune.core.ArrayImages;
import org.fineprune.core.BadNet;
import org.fineprune.core.FinepruneException;
import org.fineprune.core.ImageBatch;
import org.fineprune.core.ImageShape;
import org.fineprune.core.LayerWeights;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.SmallCnn;
import org.fineprune.core.testing.SmallCnnWeights;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Defenses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Neural Cleanse on a SmallCnn trained in the test to have a planted 3x3 trigger. */
class NeuralCleanseTest {
    private static BadNet net;
    private static PlantedBackdoor.Images valid;
    private static PlantedBackdoor.Images test;

    @BeforeAll
    static void train() {
        net = PlantedBackdoor.train();
        valid = PlantedBackdoor.clean(300, 21);
        test = PlantedBackdoor.clean(500, 31);
    }

    @AfterAll
    static void close() {
        net.close();
    }

    private static DefenderData defenderData() {
        return new DefenderData(new ArrayImages("valid", ImageShape.FASHION_MNIST, valid.pixels(), valid.labels()));
    }

    @Test
    void the_planted_net_has_its_backdoor() {
        assertTrue(cleanAccuracy(net) > 0.85, "clean accuracy " + cleanAccuracy(net));
        assertTrue(attackSuccess(net) > 0.9, "attack success " + attackSuccess(net));
    }

    @Test
    void the_registry_finds_it_with_its_parameters() {
        Defense found = Defenses.find("neural-cleanse");
        assertInstanceOf(NeuralCleanse.class, found);
        assertEquals("auto", found.defaults().text("classes"));
        assertEquals(0.2, found.defaults().number("stamped-fraction"));
        assertEquals(10, found.defaults().integer("epochs"));
    }

    @Test
    void it_flags_the_target_finds_a_small_mask_at_the_trigger_and_unlearning_lowers_the_attack(@TempDir Path tmp)
            throws IOException {
        Defense cleanse = Defenses.find("neural-cleanse");
        try (DefenseResult result = cleanse.apply(net, defenderData(), cleanse.settings(Map.of("search-images", 64,
                "search-epochs", 20, "patience", 2, "epochs", 3)), 1)) {
            Map<String, Object> d = result.diagnostics();
            System.out.println("planted net: mask norms " + d.get("maskNorms") + ", anomaly index " + d.get("anomalyIndex")
                    + ", flagged " + d.get("flaggedClasses") + ", search " + d.get("searchSeconds") + " s");
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), d.get("candidateClasses"));
            assertEquals(List.of(PlantedBackdoor.TARGET), d.get("flaggedClasses"), d.toString());
            @SuppressWarnings("unchecked")
            List<Double> norms = (List<Double>) d.get("maskNorms");
            double targetNorm = norms.get(PlantedBackdoor.TARGET);
            double otherNorms = AnomalyIndex.median(norms.stream().mapToDouble(n -> n).toArray());
            assertTrue(targetNorm < 0.6 * otherNorms, "mask norm of the target " + norms);
            assertEquals(PlantedBackdoor.TARGET, d.get("triggerClass"));
            @SuppressWarnings("unchecked")
            List<Double> mask = (List<Double>) d.get("triggerMask");
            // The mask's heaviest 3x3 window lies near the planted trigger (rows and columns 24..26): in the
            // bottom-right 8x8 corner, after the few steps of this test.
            int best = 0;
            double bestSum = -1;
            for (int top = 0; top <= 25; top++) {
                for (int left = 0; left <= 25; left++) {
                    double sum = 0;
                    for (int i = 0; i < 9; i++) {
                        sum += mask.get((top + i / 3) * 28 + left + i % 3);
                    }
                    if (sum > bestSum) {
                        bestSum = sum;
                        best = top * 28 + left;
                    }
                }
            }
            assertTrue(best / 28 >= 20 && best % 28 >= 20,
                    "heaviest 3x3 window of the mask at row " + best / 28 + ", column " + best % 28);
            assertEquals((int) Math.round(0.2 * 300), d.get("stampedImages"));

            BadNet repaired = result.repairedModel().orElseThrow();
            double before = attackSuccess(net);
            double after = attackSuccess(repaired);
            assertTrue(after < 0.5 * before, "attack success " + before + " -> " + after);
            assertTrue(cleanAccuracy(repaired) > 0.8, "clean accuracy " + cleanAccuracy(repaired));

            Path png = tmp.resolve("trigger.png");
            TriggerPng.write(result, png);
            BufferedImage image = ImageIO.read(png.toFile());
            assertEquals(28, image.getWidth());
            @SuppressWarnings("unchecked")
            List<Integer> pattern = (List<Integer>) d.get("triggerPattern");
            for (int i : new int[] {0, 25 * 28 + 25, best}) {
                int grey = (int) Math.round(mask.get(i) * pattern.get(i));
                assertEquals((grey << 16) | (grey << 8) | grey, image.getRGB(i % 28, i / 28) & 0xffffff, "pixel " + i);
            }
        }
    }

    @Test
    void a_search_whose_loss_overflows_stops_naming_the_class() {
        List<LayerWeights> huge = SmallCnnWeights.random(1).stream().map(w -> {
            float[] kernel = w.kernel().clone();
            for (int i = 0; i < kernel.length; i++) {
                kernel[i] *= 1e15f;
            }
            return new LayerWeights(w.spec(), kernel, w.bias());
        }).toList();
        try (BadNet exploding = BadNet.fromWeights(SmallCnn.INSTANCE, huge,
                new ModelOptions(SmallCnn.INPUT_SCALE, "PyTorch", "cpu"))) {
            TriggerSearch search = new TriggerSearch(new SearchConfig(2, 32, 0.1, 1e-3, 1, 0.99));
            FinepruneException e = assertThrows(FinepruneException.class,
                    () -> search.search(exploding, Arrays.copyOf(valid.pixels(), 64 * 784), 3, 1));
            assertTrue(e.getMessage().startsWith("the trigger search for class 3 diverged: the mask norm is NaN in epoch "),
                    e.getMessage());
        }
    }

    @Test
    void the_same_seed_gives_the_same_trigger() {
        TriggerSearch search = new TriggerSearch(new SearchConfig(3, 32, 0.1, 1e-3, 1, 0.99));
        float[] images = Arrays.copyOf(valid.pixels(), 64 * 784);
        ReversedTrigger once = search.search(net, images, PlantedBackdoor.TARGET, 4);
        ReversedTrigger again = search.search(net, images, PlantedBackdoor.TARGET, 4);
        ReversedTrigger other = search.search(net, images, PlantedBackdoor.TARGET, 5);
        assertEquals(once, again);
        assertTrue(!Arrays.equals(once.mask(), other.mask()));
    }

    @Test
    void the_anomaly_index_is_the_distance_from_the_median_in_units_of_1_4826_mad() {
        double[] norms = {10, 12, 14, 16, 18, 2};
        // median 13; deviations 3 1 1 3 5 11 -> MAD median 3; unit 1.4826 * 3
        double unit = 1.4826 * 3;
        assertArrayEquals(new double[] {3 / unit, 1 / unit, 1 / unit, 3 / unit, 5 / unit, 11 / unit},
                AnomalyIndex.of(norms), 1e-12);
        assertEquals(List.of(5), AnomalyIndex.flagged(norms, 2));
        // Large norms above the median are never flagged, however far.
        assertEquals(List.of(), AnomalyIndex.flagged(new double[] {10, 10.5, 11, 11.5, 90}, 2));
        assertArrayEquals(new double[] {0, 0, 0}, AnomalyIndex.of(new double[] {4, 4, 4}));
        assertThrows(IllegalArgumentException.class, () -> AnomalyIndex.of(new double[0]));
    }

    @Test
    void stamping_mixes_image_and_pattern_by_the_mask() {
        ImageShape shape = new ImageShape(1, 1, 2);
        ReversedTrigger trigger = new ReversedTrigger(0, shape, new float[] {0, 0.25f}, new float[] {200, 200}, 0.25,
                1, 1);
        float[] pixels = {100, 100, 8, 8};
        trigger.stamp(pixels, 1);
        assertArrayEquals(new float[] {100, 100, 8, 0.75f * 8 + 0.25f * 200}, pixels);
        assertArrayEquals(new float[] {0, 50}, trigger.masked());
    }

    private static double attackSuccess(BadNet model) {
        int[] answers = model.classify(new ImageBatch(PlantedBackdoor.triggered(test.pixels()), null, test.size()));
        int hits = 0;
        int counted = 0;
        for (int i = 0; i < answers.length; i++) {
            if (test.labels()[i] != PlantedBackdoor.TARGET) {
                counted++;
                hits += answers[i] == PlantedBackdoor.TARGET ? 1 : 0;
            }
        }
        return (double) hits / counted;
    }

    private static double cleanAccuracy(BadNet model) {
        return Accuracy.of(model.classify(new ImageBatch(test.pixels(), null, test.size())), test.labels()).percent() / 100;
    }
}
