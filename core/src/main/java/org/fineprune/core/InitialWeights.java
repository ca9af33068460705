package org.fineprune.core;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.fineprune.core.graph.GraphModel;
import org.fineprune.core.graph.Layer;
import org.fineprune.core.graph.LayerGraph;

/**
 * Fresh weights for any {@link LayerGraph}, drawn from {@code new SplittableRandom(seed)}
 * independently of any engine's generator, layer by layer in forward order, each kernel in Keras
 * layout: He uniform ({@code limit = sqrt(6 / fan_in)}) for every convolution and dense layer but the
 * output, Glorot uniform ({@code limit = sqrt(6 / (fan_in + fan_out))}) for the output layer, zero
 * biases; batch normalisations start as the identity (scale 1, shift 0, running mean 0, variance 1).
 * For {@link SmallCnn} these are the weights of {@link SmallCnn#initialWeights}.
 */
public final class InitialWeights {
    private InitialWeights() {}

    /** The graph's initial weights for {@code seed}, in the engine's layout. */
    public static GraphModel of(LayerGraph graph, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (Layer layer : graph.layers()) {
            if (layer instanceof Layer.Conv || layer instanceof Layer.Dense) {
                LayerSpec spec = graph.kerasLayout(layer.name());
                int[] k = spec.kernelShape();
                int fanIn = 1;
                for (int i = 0; i < k.length - 1; i++) {
                    fanIn *= k[i];
                }
                int fanOut = spec.outputs() * (spec.isConv() ? k[0] * k[1] : 1);
                double limit = layer.name().equals(graph.output())
                        ? Math.sqrt(6.0 / (fanIn + fanOut))
                        : Math.sqrt(6.0 / fanIn);
                float[] kernel = new float[fanIn * spec.outputs()];
                for (int i = 0; i < kernel.length; i++) {
                    kernel[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
                }
                weights.put(layer.name() + "/weight", KerasLayout.toDjl(new LayerWeights(spec, kernel, null)));
                if (graph.parameters().containsKey(layer.name() + "/bias")) {
                    weights.put(layer.name() + "/bias", new float[spec.outputs()]);
                }
            } else if (layer instanceof Layer.BatchNorm) {
                int channels = graph.shape(layer.name())[0];
                weights.put(layer.name() + "/gamma", filled(channels, 1f));
                weights.put(layer.name() + "/beta", new float[channels]);
                weights.put(layer.name() + "/runningMean", new float[channels]);
                weights.put(layer.name() + "/runningVar", filled(channels, 1f));
            }
        }
        return new GraphModel(graph, weights);
    }

    private static float[] filled(int size, float value) {
        float[] values = new float[size];
        Arrays.fill(values, value);
        return values;
    }
}
