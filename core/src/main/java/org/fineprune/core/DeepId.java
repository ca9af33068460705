package org.fineprune.core;

import java.util.List;

/**
 * The DeepID face recogniser of the CSAW-HackML-2020 lab3 BadNet: input geometry, layer names (as
 * Keras named them) and weight shapes in Keras layout.
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

    /** Every layer of the Keras model, in the order of its {@code layer_names} attribute. */
    public static final List<String> LAYERS = List.of(
            "input", "conv_1", "pool_1", "conv_2", "pool_2", "conv_3", "pool_3", "conv_4",
            "flatten_1", "flatten_2", "fc_1", "fc_2", "add_1", "activation_1", "output");

    /** The layers that carry weights, in forward order. */
    public static final List<LayerSpec> WEIGHTED_LAYERS = List.of(
            LayerSpec.conv("conv_1", 4, 3, 20),
            LayerSpec.conv("conv_2", 3, 20, 40),
            LayerSpec.conv("conv_3", 3, 40, 60),
            LayerSpec.conv("conv_4", 2, 60, 80),
            LayerSpec.dense("fc_1", 5 * 4 * 60, 160, new int[] {5, 4, 60}),
            LayerSpec.dense("fc_2", 4 * 3 * 80, 160, new int[] {4, 3, 80}),
            LayerSpec.dense("output", 160, CLASSES, null));

    /** The convolution layers, whose channels can be pruned. */
    public static final List<String> CONV_LAYERS = List.of("conv_1", "conv_2", "conv_3", "conv_4");

    /** The one instance. */
    public static final DeepId INSTANCE = new DeepId();

    private DeepId() {
        super("DeepID", ImageShape.DEEPID, CLASSES, LAYERS, WEIGHTED_LAYERS, CONV_LAYERS, "conv_3");
    }

    /** The pool after {@code conv} (the lab ranks pool_3 to prune conv_3), or conv_4 itself. */
    @Override
    public String rankingLayer(String conv) {
        conv(conv);
        return conv.equals("conv_4") ? "conv_4" : conv.replace("conv_", "pool_");
    }

    /** The pool after {@code conv}; for conv_4, in a branch after pool_3, pool_3. */
    @Override
    public String cachePoint(String conv) {
        conv(conv);
        return conv.equals("conv_4") ? "pool_3" : rankingLayer(conv);
    }

    @Override
    NetworkBlock newBlock() {
        return new DeepIdBlock();
    }
}
