package org.fineprune.defenses.nad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.fineprune.core.ArrayImages;
import org.fineprune.core.BadNet;
import org.fineprune.core.DeepId;
import org.fineprune.core.ImageBatch;
import org.fineprune.core.ImageShape;
import org.fineprune.core.LayerWeights;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.SmallCnn;
import org.fineprune.core.StepListener;
import org.fineprune.core.TrainingConfig;
import org.fineprune.core.testing.BlobImages;
import org.fineprune.core.testing.SmallCnnWeights;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Defenses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** NAD through the defense interface on a small generated net. */
class NeuralAttentionDistillationTest {
    private static final int N = 96;
    private static final Map<String, Object> SMALL = Map.of("teacher-epochs", 1, "epochs", 2, "batch-size", 32,
            "learning-rate", 0.01);
    private static final Defense NAD = Defenses.find("nad");
    private static BadNet net;
    private static DefenderData data;

    @BeforeAll
    static void net() {
        net = BadNet.fromWeights(SmallCnn.INSTANCE, SmallCnnWeights.random(3),
                new ModelOptions(SmallCnn.INPUT_SCALE, "PyTorch", "cpu"));
        float[] pixels = BlobImages.generate(N, 9);
        try (BadNet other = BadNet.fromWeights(SmallCnn.INSTANCE, SmallCnnWeights.random(4), net.options())) {
            // Labels the net does not give yet, so that the teacher learns something.
            data = new DefenderData(new ArrayImages("generated", ImageShape.FASHION_MNIST, pixels,
                    other.classify(new ImageBatch(pixels, null, N))));
        }
    }

    @AfterAll
    static void close() {
        net.close();
    }

    @Test
    void the_registry_finds_it_by_name() {
        assertInstanceOf(NeuralAttentionDistillation.class, NAD);
        assertTrue(Defenses.all().stream().anyMatch(d -> d.name().equals("nad")));
    }

    @Test
    void by_default_it_distils_the_last_three_convolutions_with_the_reference_betas() {
        assertEquals(Map.of("conv_2", 500.0, "conv_3", 1000.0, "conv_4", 1000.0),
                NeuralAttentionDistillation.betas(DeepId.INSTANCE, NAD.defaults()));
        assertEquals(List.of("conv_1", "conv_2"),
                List.copyOf(NeuralAttentionDistillation.betas(SmallCnn.INSTANCE, NAD.defaults()).keySet()));
        assertEquals(Map.of("conv_1", 1000.0, "conv_2", 1000.0),
                NeuralAttentionDistillation.betas(SmallCnn.INSTANCE, NAD.defaults()));
    }

    @Test
    void check_refuses_a_layer_that_is_no_convolution_and_betas_that_are_not_one_per_layer() {
        IllegalArgumentException dense = assertThrows(IllegalArgumentException.class,
                () -> NAD.check(SmallCnn.INSTANCE, NAD.settings(Map.of("layers", List.of("fc_1"), "betas",
                        List.of(1.0)))));
        assertEquals("defense 'nad': parameter 'layers': 'fc_1' is not a convolution of small-cnn; convolutions:"
                + " [conv_1, conv_2]",
                dense.getMessage());
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> NAD.check(SmallCnn.INSTANCE, NAD.settings(Map.of("layers", List.of("conv_2")))));
        assertEquals("defense 'nad': parameter 'betas': 3 betas [500.0, 1000.0, 1000.0] for 1 layers [conv_2];"
                + " give one beta per layer",
                count.getMessage());
    }

    @Test
    void with_every_beta_zero_the_student_is_the_badnet_fine_tuned_with_the_same_seed() throws IOException {
        ArrayImages clean = (ArrayImages) data.clean();
        try (DefenseResult result = NAD.apply(net, data, settings(List.of(0.0, 0.0)), 5);
                BadNet tuned = net.fineTuned(clean.pixels(), clean.labels(),
                        new TrainingConfig(2, 32, 0.01, 5, "PyTorch", "sgd"), StepListener.NONE)) {
            assertWeightsEqual(tuned, result.repaired());
        }
    }

    @Test
    void the_same_seed_gives_the_same_student_and_diagnostics_and_another_seed_another() throws IOException {
        try (DefenseResult a = NAD.apply(net, data, settings(List.of(500.0, 1000.0)), 5);
                DefenseResult b = NAD.apply(net, data, settings(List.of(500.0, 1000.0)), 5);
                DefenseResult c = NAD.apply(net, data, settings(List.of(500.0, 1000.0)), 6)) {
            assertWeightsEqual(a.repaired(), b.repaired());
            assertEquals(a.diagnostics(), b.diagnostics());
            assertFalse(java.util.Arrays.equals(kernel(a.repaired(), 3), kernel(c.repaired(), 3)), "another seed");
            assertEquals(List.of("attention-loss", "student-validation-accuracy", "teacher-validation-accuracy"),
                    List.copyOf(a.diagnostics().keySet()));
            @SuppressWarnings("unchecked")
            Map<String, Double> losses = (Map<String, Double>) a.diagnostics().get("attention-loss");
            assertEquals(List.of("conv_1", "conv_2"), List.copyOf(losses.keySet()));
            assertTrue(losses.values().stream().allMatch(loss -> loss > 0 && loss < 1), losses.toString());
            assertTrue(a.inputDetector().isPresent());
        }
    }

    private static org.fineprune.defenses.api.Settings settings(List<Double> betas) {
        Map<String, Object> given = new java.util.HashMap<>(SMALL);
        given.put("betas", betas);
        return NAD.settings(given);
    }

    private static void assertWeightsEqual(BadNet expected, BadNet actual) {
        for (int layer = 0; layer < 4; layer++) {
            assertArrayEquals(kernel(expected, layer), kernel(actual, layer), "layer " + layer);
        }
    }

    private static float[] kernel(BadNet net, int layer) {
        List<LayerWeights> layers = List.copyOf(net.weights().layers().values());
        return layers.get(layer).kernel();
    }
}
