package org.fineprune.core;

import java.util.List;
import org.fineprune.core.graph.Layer;
import org.fineprune.core.graph.Layer.Activation;
import org.fineprune.core.graph.Layer.Add;
import org.fineprune.core.graph.Layer.BatchNorm;
import org.fineprune.core.graph.Layer.Conv;
import org.fineprune.core.graph.Layer.Dense;
import org.fineprune.core.graph.Layer.Function;
import org.fineprune.core.graph.Layer.GlobalPool;
import org.fineprune.core.graph.Layer.Input;
import org.fineprune.core.graph.Layer.Padding;
import org.fineprune.core.graph.Layer.PoolKind;
import org.fineprune.core.graph.LayerGraph;

/**
 * A small pre-activation ResNet for Fashion-MNIST (He, Zhang, Ren and Sun, "Identity Mappings in
 * Deep Residual Networks", arXiv:1603.05027, 2016): residual blocks of batch normalisation, ReLU and
 * 3x3 convolution, twice, added to the block's input.
 *
 * <p>conv_1 (32) &gt; pool_1 (14x14) &gt; block 2 (32 channels, identity shortcut) &gt; pool_2
 * (7x7) &gt; block 3 (64 channels, 1x1 projection shortcut conv_3s) &gt; bn_4, ReLU &gt; conv_4
 * (128, 1x1) &gt; bn_5, ReLU &gt; global average pool &gt; output (10 logits). conv_4's unit is the
 * last one every path to the output passes through, the layer that pruning defenses prune. It takes
 * 1x28x28 images divided by {@link SmallCnn#INPUT_SCALE}.
 */
public final class PreActResNet extends Architecture {
    /** Keras' batch normalisation epsilon; the momentum keeps nine tenths of the running statistics per step. */
    private static final float EPSILON = 1e-3f;
    private static final float MOMENTUM = 0.9f;

    private static final LayerGraph GRAPH = new LayerGraph("preact-resnet", ImageShape.FASHION_MNIST, List.of(
            new Input("input"),
            conv("conv_1", "input", 32, 3, true), DeepId.pool("pool_1", "conv_1"),
            bn("bn_2a", "pool_1"), relu("relu_2a", "bn_2a"), conv("conv_2a", "relu_2a", 32, 3, false),
            bn("bn_2b", "conv_2a"), relu("relu_2b", "bn_2b"), conv("conv_2b", "relu_2b", 32, 3, false),
            new Add("add_2", List.of("pool_1", "conv_2b")),
            DeepId.pool("pool_2", "add_2"),
            bn("bn_3a", "pool_2"), relu("relu_3a", "bn_3a"), conv("conv_3a", "relu_3a", 64, 3, false),
            bn("bn_3b", "conv_3a"), relu("relu_3b", "bn_3b"), conv("conv_3b", "relu_3b", 64, 3, false),
            conv("conv_3s", "relu_3a", 64, 1, false),
            new Add("add_3", List.of("conv_3b", "conv_3s")),
            bn("bn_4", "add_3"), relu("relu_4", "bn_4"), conv("conv_4", "relu_4", 128, 1, false),
            bn("bn_5", "conv_4"), relu("relu_5", "bn_5"),
            new GlobalPool("gap", "relu_5", PoolKind.AVERAGE, false),
            new Dense("output", "gap", SmallCnn.CLASSES, true, Function.LINEAR)));

    /** The one instance. */
    public static final PreActResNet INSTANCE = new PreActResNet();

    private PreActResNet() {
        super(GRAPH);
    }

    private static Conv conv(String name, String input, int filters, int kernel, boolean bias) {
        return new Conv(name, input, filters, kernel, kernel, 1, 1, Padding.SAME, bias, Function.LINEAR);
    }

    private static Layer bn(String name, String input) {
        return new BatchNorm(name, input, EPSILON, MOMENTUM);
    }

    private static Layer relu(String name, String input) {
        return new Activation(name, input, Function.RELU);
    }
}
