package org.fineprune.attacks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.fineprune.core.BlockSupport;
import org.fineprune.core.KerasLayout;
import org.fineprune.core.LayerSpec;
import org.fineprune.core.LayerWeights;

/**
 * The project's Fashion-MNIST BadNet architecture as a DJL block, its weighted layers named as in
 * Keras ({@code conv_1}, {@code conv_2}, {@code fc_1}, {@code output}).
 *
 * <p>conv_1 (16, 5x5) &gt; ReLU &gt; pool_1 &gt; conv_2 (32, 5x5) &gt; ReLU &gt; pool_2 (32x4x4)
 * &gt; Flatten &gt; fc_1 (128) &gt; ReLU &gt; output (10). Convolutions are valid-padded, pools are
 * 2x2 with stride 2, as in Keras. The block takes 1x28x28 NCHW images already divided by {@link
 * #INPUT_SCALE} and returns logits.
 *
 * <p>{@link #layers()} describes the weights in Keras layout, so {@link #weights()} and {@link
 * #setWeights} exchange weights that {@link org.fineprune.core.KerasWeightsWriter} writes as a
 * genuine Keras file of the same network.
 */
public final class SmallCnn extends AbstractBlock {
    /** The divisor applied to raw 0..255 pixels before the first layer. */
    public static final float INPUT_SCALE = 255f;
    /** The number of classes, Fashion-MNIST's ten. */
    public static final int CLASSES = 10;
    /** The input shape of one image, (channels, height, width). */
    public static final ImageShape INPUT = ImageShape.FASHION_MNIST;

    private static final byte VERSION = 1;
    private static final List<LayerSpec> LAYERS = List.of(
            new LayerSpec("conv_1", new int[] {5, 5, 1, 16}, null),
            new LayerSpec("conv_2", new int[] {5, 5, 16, 32}, null),
            new LayerSpec("fc_1", new int[] {512, 128}, new int[] {4, 4, 32}),
            new LayerSpec("output", new int[] {128, CLASSES}, null));

    private final Block conv1;
    private final Block conv2;
    private final Block fc1;
    private final Block output;
    private final Map<String, Block> byName = new LinkedHashMap<>();

    /** A block with uninitialised parameters; initialise it with an input shape (N, 1, 28, 28). */
    public SmallCnn() {
        super(VERSION);
        conv1 = addChildBlock("conv_1", conv(LAYERS.get(0)));
        conv2 = addChildBlock("conv_2", conv(LAYERS.get(1)));
        fc1 = addChildBlock("fc_1", Linear.builder().setUnits(LAYERS.get(2).outputs()).build());
        output = addChildBlock("output", Linear.builder().setUnits(CLASSES).build());
        byName.put("conv_1", conv1);
        byName.put("conv_2", conv2);
        byName.put("fc_1", fc1);
        byName.put("output", output);
    }

    /** The weighted layers in Keras layout, in the model's order. */
    public static List<LayerSpec> layers() {
        return LAYERS;
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

    private static Block conv(LayerSpec spec) {
        int k = spec.kernelShape()[0];
        return Conv2d.builder().setKernelShape(new Shape(k, k)).setFilters(spec.outputs()).build();
    }

    /**
     * Fresh weights in Keras layout drawn from {@code new SplittableRandom(seed)}, independent of
     * any engine's generator: He uniform ({@code limit = sqrt(6 / fan_in)}) for the ReLU layers,
     * Glorot uniform ({@code limit = sqrt(6 / (fan_in + fan_out))}) for the output layer, zero biases.
     */
    public static List<LayerWeights> initialWeights(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<LayerWeights> weights = new ArrayList<>();
        for (LayerSpec spec : LAYERS) {
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

    /**
     * The current weights in Keras layout, in the order of {@link #layers()}: copies, safe to keep
     * after the block is closed.
     *
     * @throws IllegalStateException if the block is not initialised
     */
    public List<LayerWeights> weights() {
        List<LayerWeights> weights = new ArrayList<>();
        for (LayerSpec spec : LAYERS) {
            float[] kernel = parameter(spec.name(), "weight").getArray().toFloatArray();
            float[] bias = parameter(spec.name(), "bias").getArray().toFloatArray();
            weights.add(new LayerWeights(spec, KerasLayout.toKeras(spec, kernel), bias));
        }
        return List.copyOf(weights);
    }

    /**
     * Sets every weighted layer from Keras-layout weights, one per layer of {@link #layers()}.
     *
     * @throws IllegalArgumentException if a layer is missing or its spec or sizes differ
     * @throws IllegalStateException if the block is not initialised
     */
    public void setWeights(Collection<LayerWeights> weights) {
        Map<String, LayerWeights> byLayer = new LinkedHashMap<>();
        for (LayerWeights w : weights) {
            byLayer.put(w.spec().name(), w);
        }
        for (LayerSpec spec : LAYERS) {
            LayerWeights w = byLayer.get(spec.name());
            if (w == null) {
                throw new IllegalArgumentException("no weights for layer '" + spec.name() + "'");
            }
            if (!w.spec().equals(spec)) {
                throw new IllegalArgumentException("layer '" + spec.name() + "' is " + spec
                        + ", weights are for " + w.spec());
            }
            set(spec.name(), "weight", KerasLayout.toDjl(w));
            set(spec.name(), "bias", w.bias());
        }
    }

    private void set(String layer, String name, float[] values) {
        NDArray array = parameter(layer, name).getArray();
        if (array.getShape().size() != values.length) {
            throw new IllegalArgumentException(layer + "/" + name + " expects " + array.getShape()
                    + " values, got " + values.length);
        }
        array.set(values);
    }

    /** The DJL parameter {@code name} ({@code weight} or {@code bias}) of a weighted layer. */
    Parameter parameter(String layer, String name) {
        Block block = Objects.requireNonNull(byName.get(layer), () -> "no weighted layer '" + layer + "'");
        Parameter parameter = block.getParameters().get(name);
        if (parameter == null) {
            throw new IllegalArgumentException("layer '" + layer + "' has no parameter '" + name + "'");
        }
        return parameter;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        x = pool(Activation.relu(apply(conv1, store, x, training)));
        x = pool(Activation.relu(apply(conv2, store, x, training)));
        // Flatten of an NCHW map gives C, H, W order; KerasLayout permutes fc_1's rows to match.
        x = x.reshape(x.getShape().get(0), -1);
        x = Activation.relu(apply(fc1, store, x, training));
        return new NDList(apply(output, store, x, training));
    }

    private static NDArray apply(Block block, ParameterStore store, NDArray x, boolean training) {
        return block.forward(store, new NDList(x), training).singletonOrThrow();
    }

    /** The engine's pooling operator, not the strided views of inference: its gradient picks one maximum. */
    private static NDArray pool(NDArray x) {
        return Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape pool1 = BlockSupport.pooled(BlockSupport.initialize(conv1, manager, dataType, inputShapes[0]));
        Shape pool2 = BlockSupport.pooled(BlockSupport.initialize(conv2, manager, dataType, pool1));
        long n = pool2.get(0);
        Shape hidden = BlockSupport.initialize(fc1, manager, dataType, new Shape(n, pool2.size() / n));
        BlockSupport.initialize(output, manager, dataType, hidden);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), CLASSES)};
    }
}
