package org.fineprune.defenses.clp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fineprune.core.ImageShape;
import org.fineprune.core.graph.GraphModel;
import org.fineprune.core.graph.Layer;
import org.fineprune.core.graph.Layer.Activation;
import org.fineprune.core.graph.Layer.BatchNorm;
import org.fineprune.core.graph.Layer.Conv;
import org.fineprune.core.graph.Layer.Dense;
import org.fineprune.core.graph.Layer.Function;
import org.fineprune.core.graph.Layer.GlobalPool;
import org.fineprune.core.graph.Layer.Input;
import org.fineprune.core.graph.Layer.Padding;
import org.fineprune.core.graph.Layer.PoolKind;
import org.fineprune.core.graph.LayerGraph;
import org.junit.jupiter.api.Test;

/** The channel bounds against singular values known in closed form. */
class ChannelLipschitzTest {
    private static final float EPSILON = 1e-3f;
    /** Unit vectors over the 2 input channels and the 3 x 3 kernel positions. */
    private static final double[] LEFT = {0.6, 0.8};
    private static final double[] RIGHT = {2 / 6.0, 0, 4 / 6.0, 0, 0, -4 / 6.0, 0, 0, 0};
    /** The singular value of each channel's rank-one kernel. */
    private static final double[] SIGMA = {1.5, 0.25, 4};

    @Test
    void a_rank_one_kernel_is_bounded_by_its_one_singular_value() {
        assertArrayEquals(SIGMA, ChannelLipschitz.bounds(rankOne(false, null), "conv"), 1e-5);
    }

    @Test
    void a_kernel_of_one_input_channel_is_bounded_by_its_euclidean_norm() {
        LayerGraph graph = new LayerGraph("one-input", new ImageShape(1, 4, 4), List.of(new Input("input"),
                new Conv("conv", "input", 2, 2, 2, 1, 1, Padding.VALID, true, Function.RELU),
                new GlobalPool("gap", "conv", PoolKind.AVERAGE, false), new Dense("fc", "gap", 2, true, Function.LINEAR)));
        float[] kernel = {1, -2, 2, 4, 0, 0, -3, 0};
        GraphModel model = new GraphModel(graph, Map.of("conv/weight", kernel, "conv/bias", new float[] {100, -100},
                "fc/weight", new float[4], "fc/bias", new float[2]));
        assertArrayEquals(new double[] {5, 3}, ChannelLipschitz.bounds(model, "conv"), 1e-6,
                "sqrt(1 + 4 + 4 + 16) and 3; the bias does not count");
    }

    @Test
    void a_batch_normalisation_after_the_convolution_scales_each_bound_by_its_gamma_over_its_deviation() {
        float[] gamma = {2, -0.5f, 1};
        float[] variance = {4, 0.25f, 9};
        double[] expected = new double[3];
        for (int c = 0; c < 3; c++) {
            expected[c] = SIGMA[c] * Math.abs(gamma[c]) / Math.sqrt(variance[c] + EPSILON);
        }
        GraphModel model = rankOne(true, new float[][] {gamma, variance});
        assertArrayEquals(expected, ChannelLipschitz.bounds(model, "conv"), 1e-5);
    }

    @Test
    void a_layer_that_is_not_a_convolution_is_refused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChannelLipschitz.bounds(rankOne(false, null), "fc"));
        assertEquals("'fc' is not a convolution layer of rank-one", e.getMessage());
    }

    /**
     * A net of one convolution (3 channels of 2 x 3 x 3) whose channel c is SIGMA[c] x LEFT x RIGHT,
     * followed by a batch normalisation with the given gamma and variance if {@code batchNorm}.
     */
    private static GraphModel rankOne(boolean batchNorm, float[][] gammaAndVariance) {
        List<Layer> layers = new ArrayList<>(List.of(new Input("input"),
                new Conv("conv", "input", 3, 3, 3, 1, 1, Padding.SAME, false, Function.LINEAR)));
        String last = "conv";
        if (batchNorm) {
            layers.add(new BatchNorm("bn", "conv", EPSILON, 0.9f));
            last = "bn";
        }
        layers.add(new Activation("relu", last, Function.RELU));
        layers.add(new GlobalPool("gap", "relu", PoolKind.AVERAGE, false));
        layers.add(new Dense("fc", "gap", 2, true, Function.LINEAR));
        LayerGraph graph = new LayerGraph("rank-one", new ImageShape(2, 4, 4), layers);
        float[] kernel = new float[3 * 2 * 9];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 2; i++) {
                for (int k = 0; k < 9; k++) {
                    kernel[(c * 2 + i) * 9 + k] = (float) (SIGMA[c] * LEFT[i] * RIGHT[k]);
                }
            }
        }
        Map<String, float[]> weights = new LinkedHashMap<>(Map.of("conv/weight", kernel, "fc/weight", new float[6],
                "fc/bias", new float[2]));
        if (batchNorm) {
            weights.putAll(Map.of("bn/gamma", gammaAndVariance[0], "bn/beta", new float[3],
                    "bn/runningMean", new float[3], "bn/runningVar", gammaAndVariance[1]));
        }
        return new GraphModel(graph, weights);
    }
}
