package org.fineprune.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.Map;
import org.fineprune.core.ChannelScaling.Gradient;
import org.fineprune.core.ChannelScaling.Scales;
import org.fineprune.core.testing.BlobImages;
import org.fineprune.core.testing.SmallCnnWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The loss under per-channel scale factors and its derivatives, on a net without and one with batch normalisation. */
class ChannelScalingTest {
    private static final String BN_CONV = "layer1.0.conv1";

    @Test
    void factors_multiply_the_batch_norm_after_a_convolution_else_the_convolution() throws IOException {
        assertEquals("conv_2", ChannelScaling.scaledLayer(SmallCnn.INSTANCE, "conv_2"));
        Architecture residual = Architecture.of(GraphFilesTest.read("residual_cnn_bn.onnx").graph());
        assertEquals("layer1.0.bn1", ChannelScaling.scaledLayer(residual, BN_CONV));
        assertThrows(IllegalArgumentException.class, () -> ChannelScaling.scaledLayer(SmallCnn.INSTANCE, "fc_1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PyTorch", "MXNet"})
    void factors_of_one_give_the_cross_entropy_of_the_logits_and_leave_the_net_unchanged(String engine) {
        try (BadNet net = smallCnn(engine)) {
            ImageBatch batch = labelled(net, BlobImages.generate(40, 2), 40);
            float[] before = net.logits(batch);
            Gradient gradient = ChannelScaling.gradient(net, batch, Map.of("conv_2", Scales.ones(32)));
            assertEquals(crossEntropy(before, batch.labels(), 10), gradient.loss(), 1e-4);
            assertArrayEquals(before, net.logits(batch));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"PyTorch", "MXNet"})
    void a_gradient_leaves_no_array_with_the_badnet(String engine) {
        try (BadNet net = smallCnn(engine)) {
            ImageBatch batch = labelled(net, BlobImages.generate(8, 2), 8);
            ChannelScaling.gradient(net, batch, Map.of("conv_2", Scales.ones(32)));
            int arrays = net.manager().getManagedArrays().size();
            for (int i = 0; i < 3; i++) {
                ChannelScaling.gradient(net, batch, Map.of("conv_1", Scales.ones(16), "conv_2", Scales.ones(32)));
            }
            // ANP takes thousands of gradients: on the wide CNN, scaled weight copies kept here filled 24 GB.
            assertEquals(arrays, net.manager().getManagedArrays().size());
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"small-cnn, PyTorch", "small-cnn, MXNet", "residual-bn, PyTorch"})
    void derivatives_agree_with_finite_differences(String network, String engine) throws IOException {
        try (BadNet net = network.equals("small-cnn") ? smallCnn(engine) : residual(engine)) {
            String conv = network.equals("small-cnn") ? "conv_2" : BN_CONV;
            int channels = net.architecture().conv(conv).outputs();
            ImageBatch batch = network.equals("small-cnn") ? labelled(net, BlobImages.generate(40, 2), 40)
                    : labelled(net, uniform(20 * net.architecture().input().size(), 4), 20);
            float[] weight = new float[channels];
            float[] bias = new float[channels];
            for (int c = 0; c < channels; c++) {
                weight[c] = 0.6f + 0.1f * (c % 5);
                bias[c] = 1.2f - 0.1f * (c % 4);
            }
            Scales derivatives = ChannelScaling.gradient(net, batch, Map.of(conv, new Scales(weight, bias)))
                    .derivatives().get(conv);
            for (int c : new int[] {0, 1, channels - 1}) {
                assertEquals(difference(net, batch, conv, weight, bias, c, true), derivatives.weight()[c],
                        2e-3 + 0.05 * Math.abs(derivatives.weight()[c]), "weight factor of channel " + c);
                assertEquals(difference(net, batch, conv, weight, bias, c, false), derivatives.bias()[c],
                        2e-3 + 0.05 * Math.abs(derivatives.bias()[c]), "bias factor of channel " + c);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"small-cnn", "residual-bn"})
    void zero_factors_prune_the_channel(String network) throws IOException {
        try (BadNet net = network.equals("small-cnn") ? smallCnn("PyTorch") : residual("PyTorch")) {
            String conv = network.equals("small-cnn") ? "conv_1" : BN_CONV;
            int channels = net.architecture().conv(conv).outputs();
            ImageBatch batch = network.equals("small-cnn") ? labelled(net, BlobImages.generate(30, 3), 30)
                    : labelled(net, uniform(20 * net.architecture().input().size(), 5), 20);
            float[] weight = Scales.ones(channels).weight();
            float[] bias = weight.clone();
            weight[2] = 0;
            bias[2] = 0;
            double scaled = ChannelScaling.gradient(net, batch, Map.of(conv, new Scales(weight, bias))).loss();
            try (BadNet pruned = net.pruned(conv, new int[] {2})) {
                assertEquals(crossEntropy(pruned.logits(batch), batch.labels(), net.architecture().classes()), scaled,
                        1e-4);
            }
        }
    }

    @Test
    void factors_must_be_one_per_channel_and_the_batch_labelled() {
        try (BadNet net = smallCnn("PyTorch")) {
            ImageBatch batch = labelled(net, BlobImages.generate(4, 2), 4);
            assertEquals("3 factors given for the 16 channels of 'conv_1'", assertThrows(IllegalArgumentException.class,
                    () -> ChannelScaling.gradient(net, batch, Map.of("conv_1", Scales.ones(3)))).getMessage());
            assertThrows(IllegalArgumentException.class, () -> ChannelScaling.gradient(net,
                    new ImageBatch(batch.pixels(), null, 4), Map.of()));
        }
    }

    /** The central difference of the loss by one factor. */
    private static double difference(BadNet net, ImageBatch batch, String conv, float[] weight, float[] bias, int c,
            boolean ofWeight) {
        float h = 1e-2f;
        double[] losses = new double[2];
        for (int i = 0; i < 2; i++) {
            float[] w = weight.clone();
            float[] b = bias.clone();
            float[] changed = ofWeight ? w : b;
            changed[c] += i == 0 ? h : -h;
            losses[i] = ChannelScaling.gradient(net, batch, Map.of(conv, new Scales(w, b))).loss();
        }
        return (losses[0] - losses[1]) / (2 * h);
    }

    private static BadNet smallCnn(String engine) {
        return BadNet.fromWeights(SmallCnn.INSTANCE, SmallCnnWeights.random(3),
                new ModelOptions(SmallCnn.INPUT_SCALE, engine, "cpu"));
    }

    private static BadNet residual(String engine) {
        return BadNet.load(GraphFilesTest.fixture("residual_cnn_bn.onnx"), new ModelOptions(1, engine, "cpu"));
    }

    /** The images labelled with a shifted copy of the net's answers, so that the loss is not near zero. */
    private static ImageBatch labelled(BadNet net, float[] pixels, int count) {
        int[] answers = net.classify(new ImageBatch(pixels, null, count));
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % 3 == 0 ? (answers[i] + 1) % net.architecture().classes() : answers[i];
        }
        return new ImageBatch(pixels, labels, count);
    }

    private static float[] uniform(int values, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        float[] pixels = new float[values];
        for (int i = 0; i < values; i++) {
            pixels[i] = (float) random.nextDouble();
        }
        return pixels;
    }

    private static double crossEntropy(float[] logits, int[] labels, int classes) {
        double sum = 0;
        for (int n = 0; n < labels.length; n++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                max = Math.max(max, logits[n * classes + k]);
            }
            double exp = 0;
            for (int k = 0; k < classes; k++) {
                exp += Math.exp(logits[n * classes + k] - max);
            }
            sum += max + Math.log(exp) - logits[n * classes + labels[n]];
        }
        return sum / labels.length;
    }
}
