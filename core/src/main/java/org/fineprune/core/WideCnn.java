package org.fineprune.core;

import java.util.List;
import org.fineprune.core.graph.Layer.Conv;
import org.fineprune.core.graph.Layer.Dense;
import org.fineprune.core.graph.Layer.Flatten;
import org.fineprune.core.graph.Layer.FlattenOrder;
import org.fineprune.core.graph.Layer.Function;
import org.fineprune.core.graph.Layer.Input;
import org.fineprune.core.graph.Layer.Padding;
import org.fineprune.core.graph.LayerGraph;

/**
 * A wider VGG-style Fashion-MNIST network (Simonyan and Zisserman, "Very Deep Convolutional Networks
 * for Large-Scale Image Recognition", arXiv:1409.1556, 2014): 3x3 same-padded convolutions whose
 * channels double after each 2x2 max pool, with spare capacity in its last convolution.
 *
 * <p>conv_1 (32) &gt; pool_1 &gt; conv_2 (64) &gt; pool_2 &gt; conv_3 (128) &gt; pool_3 (128x3x3)
 * &gt; Flatten &gt; fc_1 (256, ReLU) &gt; output (10 logits); every convolution with ReLU. It takes
 * 1x28x28 images divided by {@link SmallCnn#INPUT_SCALE}.
 */
public final class WideCnn extends Architecture {
    private static final LayerGraph GRAPH = new LayerGraph("wide-cnn", ImageShape.FASHION_MNIST, List.of(
            new Input("input"),
            conv("conv_1", "input", 32), DeepId.pool("pool_1", "conv_1"),
            conv("conv_2", "pool_1", 64), DeepId.pool("pool_2", "conv_2"),
            conv("conv_3", "pool_2", 128), DeepId.pool("pool_3", "conv_3"),
            new Flatten("flatten", "pool_3", FlattenOrder.HWC),
            new Dense("fc_1", "flatten", 256, true, Function.RELU),
            new Dense("output", "fc_1", SmallCnn.CLASSES, true, Function.LINEAR)));

    /** The one instance. */
    public static final WideCnn INSTANCE = new WideCnn();

    private WideCnn() {
        super(GRAPH);
    }

    private static Conv conv(String name, String input, int filters) {
        return new Conv(name, input, filters, 3, 3, 1, 1, Padding.SAME, true, Function.RELU);
    }
}
