package org.fineprune.defenses.activationclustering;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.fineprune.core.ArrayImages;
import org.fineprune.core.Auroc;
import org.fineprune.core.BadNet;
import org.fineprune.core.ImageShape;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.Representations;
import org.fineprune.core.SmallCnn;
import org.fineprune.core.testing.BlobImages;
import org.fineprune.core.testing.SmallCnnWeights;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Defenses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The defense on a {@link SmallCnn} with random weights, which gives every dim noise image one
 * class: at the input layer, the tenth of them that carry a bright patch form the smaller cluster
 * and are flagged; the default layer, repeatability, and the refusals.
 */
class ActivationClusteringDefenseTest {
    private static final ActivationClusteringDefense DEFENSE = new ActivationClusteringDefense();

    private static BadNet net;
    private static ArrayImages valid;

    @BeforeAll
    static void load() {
        net = BadNet.fromWeights(SmallCnn.INSTANCE, SmallCnnWeights.random(2),
                new ModelOptions(SmallCnn.INPUT_SCALE, "PyTorch", "cpu"));
        valid = new ArrayImages("blobs", ImageShape.FASHION_MNIST, BlobImages.generate(20, 1), new int[20]);
    }

    @AfterAll
    static void close() {
        net.close();
    }

    /** 200 dim noise images, every tenth carrying a 4x4 patch of 120 bottom right. */
    static ArrayImages noiseWithPatches(boolean[] planted) {
        SplittableRandom random = new SplittableRandom(4);
        float[] pixels = new float[planted.length * 784];
        for (int i = 0; i < planted.length; i++) {
            planted[i] = i % 10 == 4;
            for (int p = 0; p < 784; p++) {
                pixels[i * 784 + p] = random.nextInt(40);
            }
            for (int y = 22; y < 26 && planted[i]; y++) {
                for (int x = 22; x < 26; x++) {
                    pixels[i * 784 + y * 28 + x] = 120;
                }
            }
        }
        return new ArrayImages("noise with patches", ImageShape.FASHION_MNIST, pixels, new int[planted.length]);
    }

    @Test
    void a_planted_tenth_of_a_class_is_flagged() throws Exception {
        boolean[] planted = new boolean[200];
        ArrayImages training = noiseWithPatches(planted);
        int[] predicted = Representations.of(net, training, "input", 64).predicted();
        assertEquals(1, IntStream.of(predicted).distinct().count(), "the random net gives the images one class");
        try (DefenseResult result = DEFENSE.apply(net, new DefenderData(valid, training),
                DEFENSE.settings(Map.of("layer", "input")), 1)) {
            assertArrayEquals(planted, result.sampleFlags().flagged());
            assertEquals(1.0, Auroc.of(result.sampleFlags().scores(), planted));
            assertEquals(20, result.diagnostics().get("flagged"));
            Map<?, ?> found = (Map<?, ?>) ((Map<?, ?>) result.diagnostics().get("classes")).get(
                    Integer.toString(predicted[0]));
            assertEquals(20, found.get("flagged"));
            assertTrue(List.of(List.of(20, 180), List.of(180, 20)).contains(found.get("sizes")), found.toString());
            assertTrue((Double) found.get("silhouette") > 0.1, found.toString());
        }
    }

    @Test
    void the_silhouette_rule_also_needs_apart_clusters() throws Exception {
        boolean[] planted = new boolean[200];
        DefenderData data = new DefenderData(valid, noiseWithPatches(planted));
        try (DefenseResult strict = DEFENSE.apply(net, data,
                DEFENSE.settings(Map.of("layer", "input", "rule", "silhouette", "silhouette-threshold", 0.99)), 1);
                DefenseResult loose = DEFENSE.apply(net, data,
                        DEFENSE.settings(Map.of("layer", "input", "rule", "silhouette")), 1)) {
            assertEquals(0, strict.sampleFlags().flaggedCount());
            assertArrayEquals(planted, loose.sampleFlags().flagged());
        }
    }

    @Test
    void the_last_hidden_layer_by_default_and_the_same_flags_for_the_same_seed() throws Exception {
        ArrayImages blobs = new ArrayImages("blobs", ImageShape.FASHION_MNIST, BlobImages.generate(150, 5),
                new int[150]);
        DefenderData data = new DefenderData(valid, blobs);
        try (DefenseResult first = DEFENSE.apply(net, data, DEFENSE.defaults(), 3);
                DefenseResult second = DEFENSE.apply(net, data, DEFENSE.defaults(), 3)) {
            assertEquals("fc_1", first.diagnostics().get("layer"));
            assertEquals(first.diagnostics(), second.diagnostics());
            assertArrayEquals(first.sampleFlags().flagged(), second.sampleFlags().flagged());
            assertArrayEquals(first.sampleFlags().scores(), second.sampleFlags().scores());
        }
    }

    @Test
    void without_a_training_set_it_is_refused_in_one_line() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> DEFENSE.apply(net, new DefenderData(valid), DEFENSE.defaults(), 1));
        assertEquals("defense 'activation-clustering' inspects a training set, and the defender has none",
                e.getMessage());
    }

    @Test
    void a_layer_the_network_lacks_is_refused_before_any_work() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> DEFENSE.check(SmallCnn.INSTANCE, DEFENSE.settings(Map.of("layer", "conv_9"))));
        assertTrue(e.getMessage().startsWith("defense 'activation-clustering': parameter 'layer': no layer 'conv_9'"),
                e.getMessage());
    }

    @Test
    void the_registry_finds_it_as_a_training_set_detector() {
        assertInstanceOf(ActivationClusteringDefense.class, Defenses.find("activation-clustering"));
        assertTrue(Defenses.find("activation-clustering").inspectsTrainingSet());
    }
}
