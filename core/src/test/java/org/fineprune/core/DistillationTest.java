package org.fineprune.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fineprune.core.testing.BlobImages;
import org.fineprune.core.testing.SmallCnnWeights;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Attention maps, the attention-transfer loss and attention distillation on small generated nets. */
class DistillationTest {
    private static final ModelOptions OPTIONS = new ModelOptions(SmallCnn.INPUT_SCALE, "PyTorch", "cpu");
    private static final List<String> LAYERS = List.of("conv_1", "conv_2");
    private static final TrainingConfig CONFIG = new TrainingConfig(2, 32, 1e-2, 7, "PyTorch", "sgd");
    private static final int N = 96;
    private static BadNet student;
    private static BadNet teacher;
    private static ImageBatch images;

    @BeforeAll
    static void nets() {
        student = BadNet.fromWeights(SmallCnn.INSTANCE, SmallCnnWeights.random(3), OPTIONS);
        teacher = BadNet.fromWeights(SmallCnn.INSTANCE, SmallCnnWeights.random(4), OPTIONS);
        float[] pixels = BlobImages.generate(N, 9);
        images = new ImageBatch(pixels, teacher.classify(new ImageBatch(pixels, null, N)), N);
    }

    @AfterAll
    static void close() {
        student.close();
        teacher.close();
    }

    @Test
    void the_attention_map_of_a_hand_made_activation_is_the_normalised_sum_of_powers_over_channels() {
        // Two images, three channels, 2 x 2 positions; the second image is all zero and keeps a zero map.
        float[] activation = {1, -2, 0, 3, 0.5f, 0, -1, 1, 2, 2, 0, -4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        for (double p : new double[] {2, 1}) {
            float[] expected = new float[8];
            for (int n = 0; n < 2; n++) {
                double norm = 0;
                for (int pos = 0; pos < 4; pos++) {
                    double sum = 0;
                    for (int c = 0; c < 3; c++) {
                        sum += Math.pow(Math.abs(activation[n * 12 + c * 4 + pos]), p);
                    }
                    expected[n * 4 + pos] = (float) sum;
                    norm += sum * sum;
                }
                for (int pos = 0; pos < 4; pos++) {
                    expected[n * 4 + pos] /= (float) (Math.sqrt(norm) + AttentionMaps.EPSILON);
                }
            }
            try (NDManager manager = Engines.get("PyTorch").newBaseManager(Device.cpu())) {
                float[] map = AttentionMaps.map(manager.create(activation, new Shape(2, 3, 2, 2)), p).toFloatArray();
                assertArrayEquals(expected, map, 1e-6f, "p = " + p);
            }
        }
    }

    @Test
    void the_attention_loss_is_zero_for_identical_nets_and_positive_for_different_ones() {
        try (BadNet copy = BadNet.fromWeights(SmallCnn.INSTANCE, SmallCnnWeights.random(3), OPTIONS)) {
            Map<String, Double> same = AttentionMaps.losses(student, copy, images, LAYERS, 2);
            Map<String, Double> different = AttentionMaps.losses(student, teacher, images, LAYERS, 2);
            assertEquals(Map.of("conv_1", 0.0, "conv_2", 0.0), same);
            assertTrue(different.values().stream().allMatch(loss -> loss > 1e-6), different.toString());
        }
    }

    @Test
    void with_every_beta_zero_distillation_is_exactly_fine_tuning_with_the_same_seed() {
        Map<String, int[]> pruned = Map.of("conv_2", new int[] {1, 5});
        try (BadNet net = student.pruned(pruned);
                BadNet tuned = net.fineTuned(images.pixels(), images.labels(), CONFIG, StepListener.NONE);
                BadNet distilled = Distillation.distil(net, teacher, images, betas(0, 0), 2, CONFIG,
                        StepListener.NONE)) {
            for (int layer = 0; layer < 4; layer++) {
                assertArrayEquals(tuned.weights().layers().values().stream().toList().get(layer).kernel(),
                        distilled.weights().layers().values().stream().toList().get(layer).kernel());
            }
            assertArrayEquals(net.prunedChannels().get("conv_2"), distilled.prunedChannels().get("conv_2"));
        }
    }

    @Test
    void distillation_draws_the_students_attention_towards_the_teachers_repeatably() {
        int[] epochs = {0};
        try (BadNet tuned = student.fineTuned(images.pixels(), images.labels(), CONFIG, StepListener.NONE);
                BadNet a = Distillation.distil(student, teacher, images, betas(1000, 1000), 2, CONFIG,
                        (done, total) -> epochs[0] = done);
                BadNet b = Distillation.distil(student, teacher, images, betas(1000, 1000), 2, CONFIG,
                        StepListener.NONE);
                BadNet c = Distillation.distil(student, teacher, images, betas(1000, 1000), 2, CONFIG.withSeed(8),
                        StepListener.NONE)) {
            assertEquals(2, epochs[0]);
            Map<String, Double> afterTuning = AttentionMaps.losses(tuned, teacher, images, LAYERS, 2);
            Map<String, Double> afterDistillation = AttentionMaps.losses(a, teacher, images, LAYERS, 2);
            for (String layer : LAYERS) {
                assertTrue(afterDistillation.get(layer) < 0.8 * afterTuning.get(layer),
                        layer + ": " + afterDistillation + " after distillation, " + afterTuning + " after tuning");
            }
            for (int layer = 0; layer < 4; layer++) {
                float[] kernel = a.weights().layers().values().stream().toList().get(layer).kernel();
                assertArrayEquals(kernel, b.weights().layers().values().stream().toList().get(layer).kernel());
                assertFalse(java.util.Arrays.equals(kernel,
                        c.weights().layers().values().stream().toList().get(layer).kernel()), "another seed");
            }
        }
    }

    @Test
    void a_layer_that_is_no_convolution_or_a_negative_beta_is_refused() {
        IllegalArgumentException dense = assertThrows(IllegalArgumentException.class, () -> Distillation.distil(
                student, teacher, images, Map.of("fc_1", 1.0), 2, CONFIG, StepListener.NONE));
        assertTrue(dense.getMessage().contains("'fc_1' is not a convolution layer"), dense.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> Distillation.distil(
                student, teacher, images, betas(-1, 0), 2, CONFIG, StepListener.NONE));
        assertEquals("the beta of conv_1 must be at least 0 and finite, got -1.0", negative.getMessage());
    }

    @Test
    void an_onnx_model_with_batch_norm_and_pruned_channels_is_distilled_as_it_is_fine_tuned() {
        ImageShape shape = new ImageShape(3, 10, 10);
        float[] pixels = new float[64 * shape.size()];
        java.util.SplittableRandom random = new java.util.SplittableRandom(4);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextInt(256);
        }
        ImageBatch batch = new ImageBatch(pixels, java.util.stream.IntStream.range(0, 64).map(i -> i % 7).toArray(),
                64);
        TrainingConfig config = new TrainingConfig(2, 16, 1e-2, 3, "PyTorch");
        try (BadNet net = BadNet.load(GraphFilesTest.fixture("residual_cnn_bn.onnx"),
                        ModelOptions.defaults().withDevice("cpu"));
                BadNet pruned = net.pruned("layer2.0.conv1", new int[] {2, 7});
                BadNet tuned = pruned.fineTuned(batch.pixels(), batch.labels(), config, StepListener.NONE);
                BadNet same = Distillation.distil(pruned, net, batch, Map.of("layer2.0.conv1", 0.0), 2, config,
                        StepListener.NONE);
                BadNet distilled = Distillation.distil(pruned, net, batch, Map.of("layer2.0.conv1", 1000.0), 2,
                        config, StepListener.NONE)) {
            assertArrayEquals(tuned.logits(batch), same.logits(batch));
            assertEquals(Map.of("layer2.0.conv1", new int[] {2, 7}).keySet(), distilled.prunedChannels().keySet());
            assertFalse(java.util.Arrays.equals(tuned.logits(batch), distilled.logits(batch)));
        }
    }

    @Test
    void a_diverging_loss_is_a_one_line_error_not_a_model_of_nan_weights() {
        FinepruneException e = assertThrows(FinepruneException.class, () -> Distillation.distil(student, teacher,
                images, betas(1000, 1000), 2, CONFIG.withLearningRate(1e12), StepListener.NONE));
        assertTrue(e.getMessage().startsWith("distillation diverged: the loss is "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" at learning rate 1.0E12 (or the teacher had diverged); try a smaller"
                + " learning rate"), e.getMessage());
    }

    private static Map<String, Double> betas(double first, double second) {
        Map<String, Double> betas = new LinkedHashMap<>();
        betas.put("conv_1", first);
        betas.put("conv_2", second);
        return betas;
    }
}
