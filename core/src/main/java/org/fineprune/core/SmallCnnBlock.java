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

/** The {@link SmallCnn} as a DJL block; it takes 1x28x28 NCHW images already scaled and returns logits. */
final class SmallCnnBlock extends NetworkBlock {
    private static final byte VERSION = 1;

    private final Block conv1;
    private final Block conv2;
    private final Block fc1;
    private final Block output;

    SmallCnnBlock() {
        super(SmallCnn.INSTANCE, VERSION);
        conv1 = addLayer("conv_1", BlockSupport.conv(SmallCnn.INSTANCE.layer("conv_1")));
        conv2 = addLayer("conv_2", BlockSupport.conv(SmallCnn.INSTANCE.layer("conv_2")));
        fc1 = addLayer("fc_1", Linear.builder().setUnits(128).build());
        output = addLayer("output", Linear.builder().setUnits(SmallCnn.CLASSES).build());
    }

    @Override
    NDArray forward(ParameterStore store, NDArray x, String from, Map<String, NDArray> masks, boolean training,
            LayerObserver observer) {
        NDArray pool2 = switch (from) {
            case "input" -> convPool(2, conv2, convPool(1, conv1, BlockSupport.observe("input", x, observer), store,
                    masks, training, observer), store, masks, training, observer);
            case "pool_1" -> convPool(2, conv2, NetworkBlock.masked(x, "conv_1", masks), store, masks, training,
                    observer);
            case "pool_2" -> NetworkBlock.masked(x, "conv_2", masks);
            default -> throw new IllegalArgumentException("the small CNN cannot resume from '" + from + "'");
        };
        // Flatten of an NCHW map gives C, H, W order; KerasLayout permutes fc_1's rows to match.
        NDArray flat = BlockSupport.observe("flatten", pool2.reshape(pool2.getShape().get(0), -1), observer);
        NDArray hidden = BlockSupport.observe("fc_1", Activation.relu(apply(fc1, store, flat, training)), observer);
        return BlockSupport.observe("output", apply(output, store, hidden, training), observer);
    }

    private static NDArray convPool(int k, Block conv, NDArray x, ParameterStore store, Map<String, NDArray> masks,
            boolean training, LayerObserver observer) {
        return BlockSupport.convReluPool("conv_" + k, "pool_" + k, apply(conv, store, x, training), masks, training,
                observer);
    }

    private static NDArray apply(Block block, ParameterStore store, NDArray x, boolean training) {
        return block.forward(store, new NDList(x), training).singletonOrThrow();
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape pool1 = BlockSupport.pooled(BlockSupport.initialize(conv1, manager, dataType, inputShapes[0]));
        Shape pool2 = BlockSupport.pooled(BlockSupport.initialize(conv2, manager, dataType, pool1));
        long n = pool2.get(0);
        Shape hidden = BlockSupport.initialize(fc1, manager, dataType, new Shape(n, pool2.size() / n));
        BlockSupport.initialize(output, manager, dataType, hidden);
    }
}
