package org.fineprune.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

/** Pieces shared by Fineprune's DJL blocks (DeepID, the small Fashion-MNIST CNN). */
public final class BlockSupport {
    private BlockSupport() {}

    /** Initialises {@code block} for {@code input} and returns its output shape. */
    public static Shape initialize(Block block, NDManager manager, DataType dataType, Shape input) {
        block.initialize(manager, dataType, input);
        return block.getOutputShapes(new Shape[] {input})[0];
    }

    /** The shape after a 2x2 max pool with stride 2 and no padding. */
    public static Shape pooled(Shape nchw) {
        return new Shape(nchw.get(0), nchw.get(1), nchw.get(2) / 2, nchw.get(3) / 2);
    }

    /**
     * A 2x2 max pool with stride 2 and no padding (Keras' MaxPooling2D), as the maximum of four
     * strided views. It gives the same values as the engines' pooling operator; PyTorch's operator
     * also computes the arg max indices, which made it the slowest layer of DeepID.
     */
    public static NDArray maxPool2x2(NDArray x) {
        long h = x.getShape().get(2) / 2 * 2;
        long w = x.getShape().get(3) / 2 * 2;
        NDArray top = x.get(new NDIndex(":, :, 0:{}:2, 0:{}:2", h, w))
                .maximum(x.get(new NDIndex(":, :, 0:{}:2, 1:{}:2", h, w)));
        NDArray bottom = x.get(new NDIndex(":, :, 1:{}:2, 0:{}:2", h, w))
                .maximum(x.get(new NDIndex(":, :, 1:{}:2, 1:{}:2", h, w)));
        return top.maximum(bottom);
    }
}
