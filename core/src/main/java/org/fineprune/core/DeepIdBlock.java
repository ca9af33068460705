package org.fineprune.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.util.Map;

/**
 * The DeepID face recogniser of the lab3 BadNet as a DJL block.
 *
 * <p>conv_1 (20, 4x4) &gt; pool_1 &gt; conv_2 (40, 3x3) &gt; pool_2 &gt; conv_3 (60, 3x3) &gt; pool_3,
 * then two branches, Flatten &gt; fc_1 (160) and conv_4 (80, 2x2) &gt; Flatten &gt; fc_2 (160), added,
 * ReLU, and output (1283). The block returns logits: Keras' final softmax does not change the arg
 * max. Convolutions are valid-padded with ReLU, pools are 2x2 with stride 2, as in Keras.
 */
final class DeepIdBlock extends NetworkBlock {
    private static final byte VERSION = 1;

    private final Block conv1;
    private final Block conv2;
    private final Block conv3;
    private final Block conv4;
    private final Block fc1;
    private final Block fc2;
    private final Block output;

    DeepIdBlock() {
        super(DeepId.INSTANCE, VERSION);
        conv1 = addLayer("conv_1", BlockSupport.conv(DeepId.INSTANCE.layer("conv_1")));
        conv2 = addLayer("conv_2", BlockSupport.conv(DeepId.INSTANCE.layer("conv_2")));
        conv3 = addLayer("conv_3", BlockSupport.conv(DeepId.INSTANCE.layer("conv_3")));
        conv4 = addLayer("conv_4", BlockSupport.conv(DeepId.INSTANCE.layer("conv_4")));
        fc1 = addLayer("fc_1", Linear.builder().setUnits(160).build());
        fc2 = addLayer("fc_2", Linear.builder().setUnits(160).build());
        output = addLayer("output", Linear.builder().setUnits(DeepId.CLASSES).build());
    }

    @Override
    NDArray forward(ParameterStore store, NDArray x, String from, Map<String, NDArray> masks, boolean training,
            LayerObserver observer) {
        Stage stage = new Stage(store, masks, training, observer);
        return switch (from) {
            case "input" -> head(stage, stage.convPool(3, conv3, stage.convPool(2, conv2,
                    stage.convPool(1, conv1, BlockSupport.observe("input", x, observer)))));
            case "pool_1" -> head(stage, stage.convPool(3, conv3, stage.convPool(2, conv2, stage.mask(1, x))));
            case "pool_2" -> head(stage, stage.convPool(3, conv3, stage.mask(2, x)));
            case "pool_3" -> head(stage, stage.mask(3, x));
            default -> throw new IllegalArgumentException("DeepID cannot resume from '" + from + "'");
        };
    }

    /** The layers after {@code pool_3}. */
    private NDArray head(Stage s, NDArray pool3) {
        LayerObserver observer = s.observer();
        NDArray flat1 = BlockSupport.observe("flatten_1", pool3.reshape(pool3.getShape().get(0), -1), observer);
        NDArray a = s.dense("fc_1", fc1, flat1);
        NDArray c4 = Activation.relu(s.apply(conv4, pool3));
        c4 = BlockSupport.observe("conv_4", NetworkBlock.masked(c4, "conv_4", s.masks()), observer);
        NDArray flat2 = BlockSupport.observe("flatten_2", c4.reshape(c4.getShape().get(0), -1), observer);
        NDArray b = s.dense("fc_2", fc2, flat2);
        NDArray sum = BlockSupport.observe("add_1", a.add(b), observer);
        NDArray hidden = BlockSupport.observe("activation_1", Activation.relu(sum), observer);
        return s.dense("output", output, hidden);
    }

    /** One forward pass's settings, shared by its steps. */
    private record Stage(ParameterStore store, Map<String, NDArray> masks, boolean training, LayerObserver observer) {
        NDArray apply(Block block, NDArray x) {
            return block.forward(store, new NDList(x), training).singletonOrThrow();
        }

        NDArray dense(String name, Block block, NDArray x) {
            return BlockSupport.observe(name, apply(block, x), observer);
        }

        /** conv_k, its ReLU and pool_k, with conv_k's mask. */
        NDArray convPool(int k, Block conv, NDArray x) {
            return BlockSupport.convReluPool("conv_" + k, "pool_" + k, apply(conv, x), masks, training, observer);
        }

        /** A cached pool_k with conv_k's mask applied. */
        NDArray mask(int k, NDArray pool) {
            return NetworkBlock.masked(pool, "conv_" + k, masks);
        }
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
}
