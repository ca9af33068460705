package org.fineprune.core;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

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

    private static final List<String> LAYERS = List.of(
            "input", "conv_1", "pool_1", "conv_2", "pool_2", "flatten", "fc_1", "output");
    private static final List<LayerSpec> WEIGHTED_LAYERS = List.of(
            LayerSpec.conv("conv_1", 5, 1, 16),
            LayerSpec.conv("conv_2", 5, 16, 32),
            LayerSpec.dense("fc_1", 512, 128, new int[] {4, 4, 32}),
            LayerSpec.dense("output", 128, CLASSES, null));
    private static final List<String> CONV_LAYERS = List.of("conv_1", "conv_2");

    /** The one instance. */
    public static final SmallCnn INSTANCE = new SmallCnn();

    private SmallCnn() {
        super("small-cnn", ImageShape.FASHION_MNIST, CLASSES, LAYERS, WEIGHTED_LAYERS, CONV_LAYERS, "conv_2");
    }

    /** The pool after {@code conv}. */
    @Override
    public String rankingLayer(String conv) {
        conv(conv);
        return conv.replace("conv_", "pool_");
    }

    /** The pool after {@code conv}. */
    @Override
    public String cachePoint(String conv) {
        return rankingLayer(conv);
    }

    @Override
    NetworkBlock newBlock() {
        return new SmallCnnBlock();
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
        for (LayerSpec spec : WEIGHTED_LAYERS) {
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
