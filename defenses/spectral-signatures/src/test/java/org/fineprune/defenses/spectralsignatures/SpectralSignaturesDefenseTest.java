package org.fineprune.defenses.spectralsignatures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.fineprune.core.ArrayImages;
import org.fineprune.core.Auroc;
import org.fineprune.core.BadNet;
import org.fineprune.core.ImageShape;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.SmallCnn;
import org.fineprune.core.testing.BlobImages;
import org.fineprune.core.testing.SmallCnnWeights;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Defenses;
import org.fineprune.defenses.api.SampleFlags;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The defense on a {@link SmallCnn} with random weights: at the input layer, the 5 of 50 images of
 * class 0 that carry a bright patch (a planted poison) among dim noise are flagged; the flagged
 * share per class, repeatability, and the refusals.
 */
class SpectralSignaturesDefenseTest {
    private static final int PER_CLASS = 50;
    private static final int CLASSES = 4;
    private static final SpectralSignaturesDefense DEFENSE = new SpectralSignaturesDefense();

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

    /** Dim noise images, labels 0..3 in turn; the images of {@code planted} carry a 6x6 patch of 255 bottom right. */
    static ArrayImages noiseWithPatches(boolean[] planted) {
        int n = planted.length;
        SplittableRandom random = new SplittableRandom(4);
        float[] pixels = new float[n * 784];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % CLASSES;
            for (int p = 0; p < 784; p++) {
                pixels[i * 784 + p] = random.nextInt(40);
            }
            if (planted[i]) {
                for (int y = 21; y < 27; y++) {
                    for (int x = 21; x < 27; x++) {
                        pixels[i * 784 + y * 28 + x] = 255;
                    }
                }
            }
        }
        return new ArrayImages("noise with patches", ImageShape.FASHION_MNIST, pixels, labels);
    }

    /** Five images of class 0 (indices 0, 4, ..., 16) planted among 200. */
    static boolean[] planted() {
        boolean[] planted = new boolean[PER_CLASS * CLASSES];
        for (int k = 0; k < 5; k++) {
            planted[k * CLASSES] = true;
        }
        return planted;
    }

    @Test
    void the_planted_samples_are_flagged_and_score_highest() throws Exception {
        boolean[] planted = planted();
        DefenderData data = new DefenderData(valid, noiseWithPatches(planted));
        try (DefenseResult result = DEFENSE.apply(net, data, DEFENSE.settings(Map.of("layer", "input")), 1)) {
            SampleFlags flags = result.sampleFlags();
            boolean[] flagged = flags.flagged();
            for (int i = 0; i < planted.length; i++) {
                assertTrue(!planted[i] || flagged[i], "planted sample " + i + " not flagged");
            }
            assertEquals(1.0, Auroc.of(flags.scores(), planted));
            assertEquals(CLASSES * 7, flags.flaggedCount()); // floor(1.5 x 0.1 x 50) in each class
            assertEquals(CLASSES * 7, result.diagnostics().get("flagged"));
            assertEquals("input", result.diagnostics().get("layer"));
            assertEquals(Map.of("flagged", 7, "samples", 50, "topSingularValue",
                    ((Map<?, ?>) ((Map<?, ?>) result.diagnostics().get("classes")).get("0")).get("topSingularValue")),
                    ((Map<?, ?>) result.diagnostics().get("classes")).get("0"));
        }
    }

    @Test
    void the_last_hidden_layer_by_default_and_the_same_flags_on_every_run() throws Exception {
        ArrayImages blobs = new ArrayImages("blobs", ImageShape.FASHION_MNIST, BlobImages.generate(120, 5),
                java.util.stream.IntStream.range(0, 120).map(i -> i % 3).toArray());
        DefenderData data = new DefenderData(valid, blobs);
        try (DefenseResult first = DEFENSE.apply(net, data, DEFENSE.settings(Map.of("poison-rate", 0.2)), 1);
                DefenseResult second = DEFENSE.apply(net, data, DEFENSE.settings(Map.of("poison-rate", 0.2)), 1)) {
            assertEquals("fc_1", first.diagnostics().get("layer"));
            assertEquals(3 * 12, first.sampleFlags().flaggedCount()); // floor(1.5 x 0.2 x 40) in each class
            assertArrayEquals(first.sampleFlags().flagged(), second.sampleFlags().flagged());
            assertArrayEquals(first.sampleFlags().scores(), second.sampleFlags().scores());
        }
    }

    @Test
    void without_a_training_set_it_is_refused_in_one_line() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> DEFENSE.apply(net, new DefenderData(valid), DEFENSE.defaults(), 1));
        assertEquals("defense 'spectral-signatures' inspects a training set, and the defender has none", e.getMessage());
    }

    @Test
    void a_layer_the_network_lacks_is_refused_before_any_work() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> DEFENSE.check(SmallCnn.INSTANCE, DEFENSE.settings(Map.of("layer", "conv_9"))));
        assertTrue(e.getMessage().startsWith("defense 'spectral-signatures': parameter 'layer': no layer 'conv_9' in "),
                e.getMessage());
    }

    @Test
    void the_registry_finds_it_as_a_training_set_detector() {
        assertInstanceOf(SpectralSignaturesDefense.class, Defenses.find("spectral-signatures"));
        assertTrue(Defenses.find("spectral-signatures").inspectsTrainingSet());
    }
}
