package org.fineprune.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DeepID face recogniser of the lab3 BadNet as a DJL block, its weighted layers named as in
 * Keras ({@code conv_1} ... {@code output}).
 *
 * <p>conv_1 (20, 4x4) &gt; pool_1 &gt; conv_2 (40, 3x3) &gt; pool_2 &gt; conv_3 (60, 3x3) &gt; pool_3,
 * then two branches, Flatten &gt; fc_1 (160) and conv_4 (80, 2x2) &gt; Flatten &gt; fc_2 (160), added,
 * ReLU, and output (1283). The block returns logits: Keras' final softmax does not change the arg
 * max. Convolutions are valid-padded with ReLU, pools are 2x2 with stride 2, as in Keras.
 */
final class DeepIdBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    private final Block conv1;
    private final Block conv2;
    private final Block conv3;
    private final Block conv4;
    private final Block fc1;
    private final Block fc2;
    private final Block output;
    /** The weighted layers by Keras name; DJL prefixes child names with their position. */
    private final Map<String, Block> layers = new LinkedHashMap<>();

    DeepIdBlock() {
        super(VERSION);
        conv1 = addChildBlock("conv_1", conv(DeepId.layer("conv_1")));
        conv2 = addChildBlock("conv_2", conv(DeepId.layer("conv_2")));
        conv3 = addChildBlock("conv_3", conv(DeepId.layer("conv_3")));
        conv4 = addChildBlock("conv_4", conv(DeepId.layer("conv_4")));
        fc1 = addChildBlock("fc_1", dense(DeepId.layer("fc_1")));
        fc2 = addChildBlock("fc_2", dense(DeepId.layer("fc_2")));
        output = addChildBlock("output", dense(DeepId.layer("output")));
        List.of(conv1, conv2, conv3, conv4, fc1, fc2, output).forEach(b -> layers.put(kerasName(b), b));
    }

    private String kerasName(Block block) {
        for (var child : getChildren()) {
            if (child.getValue() == block) {
                return child.getKey().replaceFirst("^\\d+", "");
            }
        }
        throw new IllegalStateException("not a child block");
    }

    private static Block conv(LayerSpec spec) {
        int k = spec.kernelShape()[0];
        return Conv2d.builder().setKernelShape(new Shape(k, k)).setFilters(spec.outputs()).build();
    }

    private static Block dense(LayerSpec spec) {
        return Linear.builder().setUnits(spec.outputs()).build();
    }

    /** The child block of the weighted layer called {@code name}. */
    Block layer(String name) {
        Block block = layers.get(name);
        if (block == null) {
            throw new IllegalArgumentException("no weighted layer '" + name + "'");
        }
        return block;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(store, inputs.singletonOrThrow(), training, LayerObserver.NONE));
    }

    /** Runs the network on an NCHW batch (already scaled) and returns its logits. */
    NDArray forward(ParameterStore store, NDArray input, boolean training, LayerObserver observer) {
        NDArray x = convReluPool(1, conv1, store, observe("input", input, observer), training, observer);
        x = convReluPool(2, conv2, store, x, training, observer);
        NDArray pool3 = convReluPool(3, conv3, store, x, training, observer);
        return head(store, pool3, null, training, observer);
    }

    /** The layers after {@code pool_3}, with conv_4's channels multiplied by {@code conv4Keep} if given. */
    private NDArray head(ParameterStore store, NDArray pool3, NDArray conv4Keep, boolean training,
            LayerObserver observer) {
        NDArray flat1 = observe("flatten_1", pool3.reshape(pool3.getShape().get(0), -1), observer);
        NDArray a = dense("fc_1", fc1, store, flat1, training, observer);
        NDArray c4 = Activation.relu(conv4.forward(store, new NDList(pool3), training).singletonOrThrow());
        c4 = observe("conv_4", conv4Keep == null ? c4 : c4.mul(conv4Keep), observer);
        NDArray flat2 = observe("flatten_2", c4.reshape(c4.getShape().get(0), -1), observer);
        NDArray b = dense("fc_2", fc2, store, flat2, training, observer);
        NDArray sum = observe("add_1", a.add(b), observer);
        NDArray hidden = observe("activation_1", Activation.relu(sum), observer);
        return dense("output", output, store, hidden, training, observer);
    }

    /**
     * The layer whose output a pruning sweep caches when {@code prunedLayer} is pruned: the pool after
     * it, or for conv_4 (in a branch) pool_3. Everything before it is unchanged by the pruning.
     */
    static String cachePoint(String prunedLayer) {
        DeepId.conv(prunedLayer);
        return prunedLayer.equals("conv_4") ? "pool_3" : DeepId.rankingLayer(prunedLayer);
    }

    /**
     * The logits of a network whose {@code prunedLayer} has the channels where {@code keep} (shape (1,
     * C, 1, 1)) is 0 pruned, from that layer's {@link #cachePoint} output. Zeroing a pruned
     * channel's output equals zeroing its kernel slice and bias: ReLU(0) = 0 and the pool of zeros is 0.
     */
    NDArray resume(ParameterStore store, String prunedLayer, NDArray cached, NDArray keep) {
        LayerObserver none = LayerObserver.NONE;
        return switch (prunedLayer) {
            case "conv_1" -> head(store, convReluPool(3, conv3, store,
                    convReluPool(2, conv2, store, cached.mul(keep), false, none), false, none), null, false, none);
            case "conv_2" -> head(store, convReluPool(3, conv3, store, cached.mul(keep), false, none), null, false, none);
            case "conv_3" -> head(store, cached.mul(keep), null, false, none);
            case "conv_4" -> head(store, cached, keep, false, none);
            default -> throw new IllegalArgumentException(prunedLayer + " is not a convolution layer");
        };
    }

    /**
     * conv_k, its ReLU and pool_k. The ReLU runs after the pool, on a quarter of the values: max
     * pooling commutes with ReLU, so pool_k is unchanged, and conv_k's own output is only computed
     * when observed.
     */
    private static NDArray convReluPool(int k, Block block, ParameterStore store, NDArray x, boolean training,
            LayerObserver observer) {
        NDArray linear = block.forward(store, new NDList(x), training).singletonOrThrow();
        if (observer.wants("conv_" + k)) {
            observer.onOutput("conv_" + k, Activation.relu(linear));
        }
        return observe("pool_" + k, Activation.relu(BlockSupport.maxPool2x2(linear)), observer);
    }

    private static NDArray dense(String name, Block block, ParameterStore store, NDArray x,
            boolean training, LayerObserver observer) {
        return observe(name, block.forward(store, new NDList(x), training).singletonOrThrow(), observer);
    }

    private static NDArray observe(String name, NDArray x, LayerObserver observer) {
        if (observer.wants(name)) {
            observer.onOutput(name, x);
        }
        return x;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape pool1 = BlockSupport.pooled(BlockSupport.initialize(conv1, manager, dataType, inputShapes[0]));
        Shape pool2 = BlockSupport.pooled(BlockSupport.initialize(conv2, manager, dataType, pool1));
        Shape pool3 = BlockSupport.pooled(BlockSupport.initialize(conv3, manager, dataType, pool2));
        Shape conv4Out = BlockSupport.initialize(conv4, manager, dataType, pool3);
        long n = pool3.get(0);
        BlockSupport.initialize(fc1, manager, dataType, new Shape(n, pool3.size() / n));
        Shape hidden = BlockSupport.initialize(fc2, manager, dataType, new Shape(n, conv4Out.size() / n));
        BlockSupport.initialize(output, manager, dataType, hidden);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), DeepId.CLASSES)};
    }
}
