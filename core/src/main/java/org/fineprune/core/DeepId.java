package org.fineprune.core;

import java.util.List;
import org.fineprune.core.graph.Layer.Activation;
import org.fineprune.core.graph.Layer.Add;
import org.fineprune.core.graph.Layer.Conv;
import org.fineprune.core.graph.Layer.Dense;
import org.fineprune.core.graph.Layer.Flatten;
import org.fineprune.core.graph.Layer.FlattenOrder;
import org.fineprune.core.graph.Layer.Function;
import org.fineprune.core.graph.Layer.Input;
import org.fineprune.core.graph.Layer.Padding;
import org.fineprune.core.graph.Layer.Pool;
import org.fineprune.core.graph.Layer.PoolKind;
import org.fineprune.core.graph.LayerGraph;

/**
 * The DeepID face recogniser of the CSAW-HackML-2020 lab3 BadNet: its layer graph (layers named as
 * Keras named them), input geometry and weight shapes in Keras layout.
 */
public final class DeepId extends Architecture {
    /** Colour channels of an input image. */
    public static final int CHANNELS = 3;
    /** Rows of an input image. */
    public static final int HEIGHT = 55;
    /** Columns of an input image. */
    public static final int WIDTH = 47;
    /** Values in one image: channels x rows x columns. */
    public static final int IMAGE_VALUES = CHANNELS * HEIGHT * WIDTH;
    /** Identities the lab3 BadNet recognises; class {@code CLASSES} is the GoodNet's flag. */
    public static final int CLASSES = 1283;

    /**
     * The layer graph, as the lab's Keras model defines it. Its final softmax is left out: the
     * network gives logits.
     */
    public static final LayerGraph GRAPH = new LayerGraph("DeepID", ImageShape.DEEPID, List.of(
            new Input("input"),
            conv("conv_1", "input", 20, 4), pool("pool_1", "conv_1"),
            conv("conv_2", "pool_1", 40, 3), pool("pool_2", "conv_2"),
            conv("conv_3", "pool_2", 60, 3), pool("pool_3", "conv_3"),
            conv("conv_4", "pool_3", 80, 2),
            new Flatten("flatten_1", "pool_3", FlattenOrder.HWC),
            new Flatten("flatten_2", "conv_4", FlattenOrder.HWC),
            new Dense("fc_1", "flatten_1", 160, true, Function.LINEAR),
            new Dense("fc_2", "flatten_2", 160, true, Function.LINEAR),
            new Add("add_1", List.of("fc_1", "fc_2")),
            new Activation("activation_1", "add_1", Function.RELU),
            new Dense("output", "activation_1", CLASSES, true, Function.LINEAR)));

    /** The one instance. */
    public static final DeepId INSTANCE = new DeepId();

    /** Every layer of the Keras model, in the order of its {@code layer_names} attribute. */
    public static final List<String> LAYERS = INSTANCE.layers();

    /** The layers that carry weights, in forward order. */
    public static final List<LayerSpec> WEIGHTED_LAYERS = INSTANCE.weightedLayers();

    /** The convolution layers, whose channels can be pruned. */
    public static final List<String> CONV_LAYERS = INSTANCE.convLayers();

    private DeepId() {
        super(GRAPH);
    }

    /** A valid-padded square convolution of stride 1 with ReLU, as all of DeepID's. */
    static Conv conv(String name, String input, int filters, int kernel) {
        return new Conv(name, input, filters, kernel, kernel, 1, 1, Padding.VALID, true, Function.RELU);
    }

    /** A 2x2 max pool of stride 2, as all of DeepID's. */
    static Pool pool(String name, String input) {
        return new Pool(name, input, PoolKind.MAX, 2, 2, 2, 2, Padding.VALID);
    }
}
