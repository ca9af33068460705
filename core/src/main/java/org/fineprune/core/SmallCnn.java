package org.fineprune.core;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fineprune.core.graph.Layer.Dense;
import org.fineprune.core.graph.Layer.Flatten;
import org.fineprune.core.graph.Layer.FlattenOrder;
import org.fineprune.core.graph.Layer.Function;
import org.fineprune.core.graph.Layer.Input;
import org.fineprune.core.graph.LayerGraph;

/**
 * The project's Fashion-MNIST BadNet architecture, its weighted layers named as in Keras.
 *
 * <p>conv_1 (16, 5x5) &gt; ReLU &gt; pool_1 &gt; conv_2 (32, 5x5) &gt; ReLU &gt; pool_2 (32x4x4)
 * &gt; Flatten &gt; fc_1 (128, ReLU) &gt; output (10 logits). Convolutions are valid-padded, pools
 * are 2x2 with stride 2, as in Keras. It takes 1x28x28 images divided by {@link #INPUT_SCALE}.
 */
public final class SmallCnn extends Architecture {
    /** The divisor applied to raw 0..255 pixels before the first layer. */
    public static final float INPUT_SCALE = 255f;
    /** The number of classes, Fashion-MNIST's ten. */
    public static final int CLASSES = 10;

    private static final LayerGraph GRAPH = new LayerGraph("small-cnn", ImageShape.FASHION_MNIST, List.of(
            new Input("input"),
            DeepId.conv("conv_1", "input", 16, 5), DeepId.pool("pool_1", "conv_1"),
            DeepId.conv("conv_2", "pool_1", 32, 5), DeepId.pool("pool_2", "conv_2"),
            new Flatten("flatten", "pool_2", FlattenOrder.HWC),
            new Dense("fc_1", "flatten", 128, true, Function.RELU),
            new Dense("output", "fc_1", CLASSES, true, Function.LINEAR)));

    /** The one instance. */
    public static final SmallCnn INSTANCE = new SmallCnn();

    private SmallCnn() {
        super(GRAPH);
    }

    /**
     * A one-line description of the architecture, part of the cache key of a trained model: a change
     * of the network changes it.
     */
    public static String describe() {
        return "small-cnn/1(input=1x28x28/255; conv_1=conv5x5x16 valid relu; pool_1=max2x2;"
                + " conv_2=conv5x5x32 valid relu; pool_2=max2x2; flatten=hwc; fc_1=dense128 relu;"
                + " output=dense10 logits)";
    }

    /**
     * Fresh weights in Keras layout drawn from {@code new SplittableRandom(seed)}, independent of
     * any engine's generator: He uniform ({@code limit = sqrt(6 / fan_in)}) for the ReLU layers,
     * Glorot uniform ({@code limit = sqrt(6 / (fan_in + fan_out))}) for the output layer, zero biases.
     */
    public static List<LayerWeights> initialWeights(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<LayerWeights> weights = new ArrayList<>();
        for (LayerSpec spec : INSTANCE.weightedLayers()) {
            int[] k = spec.kernelShape();
            int fanIn = 1;
            for (int i = 0; i < k.length - 1; i++) {
                fanIn *= k[i];
            }
            int fanOut = spec.outputs() * (spec.isConv() ? k[0] * k[1] : 1);
            double limit = spec.name().equals("output")
                    ? Math.sqrt(6.0 / (fanIn + fanOut))
                    : Math.sqrt(6.0 / fanIn);
            float[] kernel = new float[fanIn * spec.outputs()];
            for (int i = 0; i < kernel.length; i++) {
                kernel[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
            }
            weights.add(new LayerWeights(spec, kernel, new float[spec.outputs()]));
        }
        return List.copyOf(weights);
    }
}
